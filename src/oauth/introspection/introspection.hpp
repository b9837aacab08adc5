#pragma once
// POST ORG/oauth2[/asId]/v1/introspect (RFC 7662, okta-compat.md §4.3, §11.24, §11.25).
#include <string_view>

#include "http/message.hpp"
#include "model/org_model.hpp"
#include "core/clock.hpp"
#include "oauth/client_auth/client_auth.hpp"
#include "oauth/introspection/scan_limit.hpp"
#include "oauth/limits.hpp"
#include "oauth/verify/access_token_verifier.hpp"

namespace gh::oauth {

// Thread-safe (its parts are).
class Introspection {
 public:
  Introspection(ClientAuthenticator& client_auth, AccessTokenVerifier& verifier, const core::Clock& clock,
                const Limits& limits)
      : client_auth_(client_auth),
        verifier_(verifier),
        clock_(clock),
        scans_(limits.introspection_inactive_per_client_per_minute),
        scan_limit_enabled_(limits.token_limit_enabled) {}

  // Handles one request for the authorization server `as_id` ("" = the org AS) of `org`.
  // Takes org.mutex() shared itself. Answers:
  //  - 400 invalid_request (oauth::render) for a non-form body, a repeated parameter, no `token`;
  //  - the client-authentication error (oauth::render), e.g. 401 invalid_client;
  //  - 429 too_many_requests with Retry-After while the client is over its inactive answers
  //    (IntrospectionScanLimit, §11.32);
  //  - otherwise 200 application/json, Cache-Control: no-store: the token's claims with
  //    "active":true when it is an active access token of this AS issued to the authenticated
  //    client, and exactly {"active":false} for anything else. `token_type_hint` is ignored.
  Result<http::Response> handle(const http::Request& req, model::OrgModel& org, std::string_view as_id);

  // The per-client scanning windows (many nodes: the server shares them, issue 18).
  IntrospectionScanLimit& scan_limit() { return scans_; }

 private:
  ClientAuthenticator& client_auth_;
  AccessTokenVerifier& verifier_;
  const core::Clock& clock_;
  IntrospectionScanLimit scans_;
  bool scan_limit_enabled_;
};

// The 200 body for an active token (RFC 7662 §2.2, okta-compat.md §4.3): `c`'s members with
// `scope` (the scopes still usable), in the order Okta gives them; the same bytes as boost::json
// would serialise (tested).
std::string active_introspection_json(const AccessTokenClaims& c, std::string_view scope);

}  // namespace gh::oauth
