#pragma once
// System Log events of the token endpoint (issue #4; okta-compat.md §5 "System log event"):
// app.oauth2.token.grant.access_token (org AS) / app.oauth2.as.token.grant.access_token (custom AS)
// for an issued token; app.oauth2.token.grant / app.oauth2.as.token.grant with outcome FAILURE and
// the OAuth error as reason for a refused one. Queued (Env::events), written by the writer thread
// within a second: the token endpoint does no synchronous write (DESIGN.md "Tokens").
//
// Never recorded: the client secret, the client assertion, the Authorization or DPoP header, the
// token issued. The client id is recorded only when it names a client of the org.
#include "http/message.hpp"
#include "model/org_model.hpp"
#include "oauth/auth_server.hpp"
#include "oauth/env.hpp"
#include "oauth/grants/grant_handler.hpp"

namespace gh::oauth {

// Queues the event for one token request and its outcome; a no-op without Env::events.
// Caller holds org.mutex() shared. Thread-safe.
void record_token_event(Env& env, const http::Request& req, const model::OrgModel& org, const AuthServer& as,
                        const Result<TokenResponse>& outcome);

}  // namespace gh::oauth
