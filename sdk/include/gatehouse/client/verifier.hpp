#pragma once
// Verifier: the resource-server side. Checks `Authorization: Bearer|DPoP` access tokens (JWTs,
// RFC 9068 and Okta's form, okta-compat.md §4.2) for an expected issuer, audience and scopes,
// with the issuer's JWK set fetched, cached, and refreshed on an unknown kid at most once per
// `jwks_refresh_interval`; DPoP-bound tokens need a valid proof (RFC 9449 §4.3, §7). Thread-safe.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/clock.hpp"
#include "gatehouse/client/http.hpp"
#include "jose/jwk.hpp"

namespace gh::sdk {

struct VerifierOptions {
  std::string issuer;                 // exact "iss" (RFC 9068 §4 step 3)
  std::string audience;               // one of "aud" (RFC 9068 §4 step 4)
  std::vector<std::string> required_scopes;
  std::string jwks_uri;               // empty: from the issuer's metadata (RFC 8414)
  std::chrono::seconds clock_skew{60};
  std::chrono::seconds jwks_refresh_interval{60};  // at most one refetch per interval
  std::chrono::seconds dpop_iat_window{300};       // okta-compat.md §4.1: ±5 min
  bool require_dpop = false;          // refuse Bearer tokens
};

// The request as the resource server saw it.
struct IncomingRequest {
  std::string method;         // "GET"
  std::string url;            // the absolute URL the client used (htu, RFC 9449 §4.3 (9))
  std::string authorization;  // the Authorization header ("" when absent)
  std::string dpop;           // the DPoP header ("" when absent)
};

struct Claims {
  std::string subject;    // sub
  std::string client_id;  // cid (Okta) or client_id (RFC 9068 §2.2)
  std::vector<std::string> scopes;  // scp (array, Okta) or scope (space-separated, RFC 9068)
  std::int64_t expires_at = 0;
  std::optional<std::string> jkt;  // cnf.jkt of a DPoP-bound token
  boost::json::object payload;     // every claim
};

class Verifier {
 public:
  // Errors: bad_url, insecure_url, bad_config.
  static Result<std::unique_ptr<Verifier>> create(VerifierOptions opts,
                                                  std::shared_ptr<Transport> transport = {},
                                                  const core::Clock* clock = nullptr);

  // The whole request: scheme, token, scopes, and the DPoP proof when the token is bound.
  // Errors: missing_token, invalid_token, insufficient_scope, invalid_dpop_proof,
  // jwks_unavailable (Error::detail says which check failed).
  Result<Claims> verify(const IncomingRequest& req);
  // Only the JWT (no scheme, no proof): signature, iss, aud, exp/nbf/iat, scopes.
  Result<Claims> verify_token(std::string_view jwt);

  // The WWW-Authenticate value for a refusal (RFC 6750 §3, RFC 9449 §7.1).
  std::string www_authenticate(const Error& e) const;
  int jwks_fetches() const;  // tests

 private:
  explicit Verifier(VerifierOptions o, std::shared_ptr<Transport> t, const core::Clock* c);
  Result<jose::Jwk> key_for(std::string_view kid);
  Result<void> check_proof(const IncomingRequest& req, std::string_view token, const Claims& c);

  VerifierOptions opts_;
  std::shared_ptr<Transport> transport_;
  const core::Clock* clock_;
  mutable std::mutex mu_;
  std::optional<jose::JwkSet> jwks_;
  std::optional<core::SysTime> last_fetch_;
  int fetches_ = 0;
  std::map<std::string, std::int64_t> seen_jti_;  // DPoP proof jti → expiry (RFC 9449 §11.1)
};

}  // namespace gh::sdk
