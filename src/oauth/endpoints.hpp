#pragma once
// The OAuth 2.0 surface of one server (okta-compat.md §4 table): routes the org-relative paths
//   /oauth2/v1/{token,keys,introspect,revoke}          (org AS)
//   /oauth2/{asId}/v1/{token,keys,introspect,revoke}   (custom AS)
//   /.well-known/{openid-configuration,oauth-authorization-server}              (org AS)
//   /oauth2/{asId}/.well-known/{openid-configuration,oauth-authorization-server} (custom AS)
//   /.well-known/oauth-authorization-server/oauth2/{asId}                       (RFC 8414 §3.1)
// to the engines. Built once by the composition root; thread-safe.
#include <string_view>

#include "http/message.hpp"
#include "model/org_model.hpp"
#include "oauth/client_auth/client_auth.hpp"
#include "oauth/dpop/token_request.hpp"
#include "oauth/env.hpp"
#include "oauth/introspection/introspection.hpp"
#include "oauth/limits.hpp"
#include "oauth/revocation/revocation.hpp"
#include "oauth/token_endpoint/token_endpoint.hpp"
#include "oauth/verify/access_token_verifier.hpp"

namespace gh::oauth {

// What the composition root builds and hands to the endpoints: the verifier is the management
// API's too, and the replay caches are where a multi-node store shares single use.
struct SharedParts {
  AccessTokenVerifier& verifier;  // tokens of every authorization server of every org
  ReplayCache& assertion_jtis;    // RFC 7523 §3 item 7: client assertions, single use
  ReplayCache& dpop_jtis;         // RFC 9449 §11.1: DPoP proofs at the token endpoint, single use
};

class Endpoints {
 public:
  // `limits`: the token endpoint's per-client bucket and the client-authentication failure
  // throttle (okta-compat.md §11.30). DPoP nonces are keyed by a secret derived from the pepper
  // (itself derived from the master key), so another server's nonces are refused. No grant is
  // supported until add_grant().
  Endpoints(Env& env, const SharedParts& parts, const Limits& limits = {});
  // The token endpoint supports grant->grant_type() from now on. Call before serving.
  void add_grant(std::unique_ptr<GrantHandler> grant) { token_.add_grant(std::move(grant)); }

  // Whether the org-relative `path` belongs to this surface (/oauth2/… or /.well-known/…).
  // The caller routes /oauth2/v1/clients/… to the management API first.
  static bool owns(std::string_view path);
  // POST …/v1/revoke writes to the store (blocking pool); everything else reads the in-memory
  // model and runs inline. `path` may be absolute or org-relative.
  static bool is_blocking(http::Method method, std::string_view path);

  // Handles one request. `path` is relative to the org. Unknown paths and unknown or INACTIVE
  // authorization servers → 404 OAuth JSON; a wrong method → 405. Takes org.mutex() itself
  // (shared for reads; revocation takes it exclusively to apply its change).
  http::Response handle(const http::Request& req, model::OrgModel& org, std::string_view path);
  // The outbound I/O a handle() that answered needs_outbound was waiting for (a client's
  // jwks_uri set, for POST …/v1/{token,introspect,revoke}); does nothing for anything else.
  // May block on the network (bounded): the server's outbound lane only. Thread-safe.
  void prepare_outbound(const http::Request& req, model::OrgModel& org, std::string_view path);

  ClientAuthenticator& client_auth() { return auth_; }
  AccessTokenVerifier& verifier() { return verifier_; }
  TokenEndpoint& token_endpoint() { return token_; }
  Introspection& introspection() { return introspection_; }

 private:
  // handle() without the rendering of refusals.
  Result<http::Response> dispatch(const http::Request& req, model::OrgModel& org, std::string_view path);

  Env& env_;
  ClientAuthenticator auth_;
  dpop::TokenRequestProofs dpop_;
  AccessTokenVerifier& verifier_;
  TokenEndpoint token_;
  Introspection introspection_;
  Revocation revocation_;
};

}  // namespace gh::oauth
