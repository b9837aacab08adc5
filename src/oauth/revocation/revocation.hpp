#pragma once
// POST ORG/oauth2[/asId]/v1/revoke (RFC 7009, okta-compat.md §4.3).
#include <string_view>

#include "http/message.hpp"
#include "model/org_model.hpp"
#include "oauth/client_auth/client_auth.hpp"
#include "oauth/env.hpp"
#include "oauth/verify/access_token_verifier.hpp"

namespace gh::oauth {

// Immutable after construction; thread-safe (its parts are). Runs on the writer thread: it may
// commit to the store (the gateway marks POST .../revoke as blocking).
class Revocation {
 public:
  Revocation(Env& env, ClientAuthenticator& client_auth, AccessTokenVerifier& verifier)
      : env_(env), client_auth_(client_auth), verifier_(verifier) {}

  // Handles one request for the authorization server `as_id` ("" = the org AS) of `org`.
  // Takes org.mutex() itself (shared, then exclusive to apply the change). Answers:
  //  - 400 invalid_request for a non-form body, a repeated parameter, no `token`;
  //  - the client-authentication error, e.g. 401 invalid_client;
  //  - 500 server_error when the store refuses the write (nothing is applied);
  //  - otherwise 200 with an empty body, also for unknown, invalid, expired or already revoked
  //    tokens and for other clients' tokens, which are left alone (RFC 7009 §2.2).
  // An active access token of the client is revoked by committing a `revoked_token` document
  // (id = jti, parent = client_id, body {"exp"}) and applying it to the org's model: from the next
  // request on, the verifier refuses it everywhere. `token_type_hint` is ignored (§11.24).
  Result<http::Response> handle(const http::Request& req, model::OrgModel& org, std::string_view as_id);

 private:
  Env& env_;
  ClientAuthenticator& client_auth_;
  AccessTokenVerifier& verifier_;
};

}  // namespace gh::oauth
