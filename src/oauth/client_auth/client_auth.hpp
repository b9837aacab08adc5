#pragma once
// Client authentication at the token, introspection and revocation endpoints
// (RFC 6749 §2.3, RFC 7523 §2.2, okta-compat.md §4.1, §11.19, §11.20).
#include <string>
#include <string_view>

#include "domain/documents.hpp"
#include "http/url.hpp"
#include "model/org_model.hpp"
#include "oauth/env.hpp"
#include "oauth/client_auth/replay_cache.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth {

struct ClientAuthInput {
  const http::Params& form;            // the decoded form body (duplicates already refused)
  std::string_view authorization;      // the Authorization header ("" when absent)
  std::string endpoint_url;            // absolute URL of the endpoint invoked (assertion aud)
  std::string issuer;                  // the AS issuer (assertion aud may also equal it)
};

// RFC 7523 §2.2 client_assertion_type.
inline constexpr std::string_view kJwtBearerAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct AuthenticatedClient {
  const domain::Document* app = nullptr;  // kind app, ACTIVE; valid while the org lock is held
  std::string client_id;
  std::string method;                     // client_secret_basic | client_secret_post | private_key_jwt
};

// Identifies and authenticates the client. Exactly one method per request (§11.20). The method
// used must be the app's registered token_endpoint_auth_method and the app must be ACTIVE.
// Errors: 400 invalid_request (two methods, a parameter twice, bad client_assertion_type);
// 401 invalid_client for everything else ("No client credentials found." when none were sent;
// with `WWW-Authenticate: Basic` when the Authorization header was used, RFC 6749 §5.2).
// Descriptions never echo request values. Caller holds the org lock shared.
// Thread-safe (the assertion replay cache is internal and synchronised).
class ClientAuthenticator {
 public:
  explicit ClientAuthenticator(Env& env) : env_(env) {}
  Result<AuthenticatedClient> authenticate(const ClientAuthInput& in, const model::OrgModel& org);
  // The outbound I/O an authenticate() that answered needs_outbound was waiting for: fetches the
  // jwks_uri set a private_key_jwt assertion in `form` needs. Takes the org lock itself (shared,
  // never across the fetch). May block on the network: call it only on the outbound lane.
  void prepare_outbound(const http::Params& form, model::OrgModel& org);

 private:
  Env& env_;
  ReplayCache assertion_jtis_;  // org/client/jti of accepted client assertions, until exp
};

}  // namespace gh::oauth
