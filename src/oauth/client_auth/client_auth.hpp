#pragma once
// Client authentication at the token, introspection and revocation endpoints
// (RFC 6749 §2.3, RFC 7523 §2.2, okta-compat.md §4.1, §11.19, §11.20).
#include <string>
#include <string_view>

#include "domain/documents.hpp"
#include "http/url.hpp"
#include "model/org_model.hpp"
#include "oauth/env.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth {

struct ClientAuthInput {
  const http::Params& form;            // the decoded form body (duplicates already refused)
  std::string_view authorization;      // the Authorization header ("" when absent)
  std::string endpoint_url;            // absolute URL of the endpoint invoked (assertion aud)
  std::string issuer;                  // the AS issuer (assertion aud may also equal it)
};

struct AuthenticatedClient {
  const domain::Document* app = nullptr;  // kind app, ACTIVE; valid while the org lock is held
  std::string client_id;
  std::string method;                     // client_secret_basic | client_secret_post | private_key_jwt
};

// Identifies and authenticates the client. Exactly one method per request (§11.20). The method
// used must be the app's registered token_endpoint_auth_method. Caller holds the org lock shared.
// Thread-safe (the assertion replay cache is internal and synchronised).
class ClientAuthenticator {
 public:
  explicit ClientAuthenticator(Env& env) : env_(env) {}
  Result<AuthenticatedClient> authenticate(const ClientAuthInput& in, const model::OrgModel& org);

 private:
  Env& env_;
};

}  // namespace gh::oauth
