#pragma once
// System Log events of the token endpoint (issue #4; okta-compat.md §5 "System log event"; their
// shape: domain/token_grant_event.hpp). Queued (Env::events), written by the writer thread within
// a second: the token endpoint does no synchronous write (DESIGN.md "Tokens").
//
// Never recorded: the client secret, the client assertion, the Authorization or DPoP header, the
// token issued. The client id is recorded only when it names a client of the org.
#include "domain/log_event.hpp"
#include "http/message.hpp"
#include "model/org_model.hpp"
#include "oauth/auth_server.hpp"
#include "oauth/env.hpp"
#include "oauth/grants/grant_handler.hpp"

namespace gh::oauth {

// Queues the event for one token request and its outcome; a no-op without Env::events.
// Caller holds org.mutex() shared. Thread-safe.
// `form`: the request's parsed body, null when it did not parse. `client`: the authenticated
// client's app, null when client authentication did not succeed (then the client the request
// names is recorded if it is one of the org's).
void record_token_event(Env& env, const http::Request& req, const http::Params* form, const model::OrgModel& org,
                        const AuthServer& as, const domain::Document* client, const Result<TokenResponse>& outcome);

// app.oauth2.token.revoke (org AS) / app.oauth2.as.token.revoke (custom AS): an access token of
// `client_id` revoked through RFC 7009 (target: the token's jti, never the token). Committed with
// the revocation (store::AppendEvent).
domain::LogEvent token_revocation_event(Env& env, const http::Request& req, const model::OrgModel& org,
                                        std::string_view as_id, std::string_view client_id, std::string_view jti);

}  // namespace gh::oauth
