#pragma once
// TokenClient: OAuth 2.0 client credentials (RFC 6749 §4.4) for a service, against Gatehouse,
// Okta or any standard authorization server. Discovery (RFC 8414), client_secret_basic,
// client_secret_post or private_key_jwt (RFC 7523), optional DPoP (RFC 9449), a token cache
// with a single refresh for any number of concurrent callers, and bounded retries of 429 and
// 5xx honouring Retry-After and X-Rate-Limit-Reset. Thread-safe.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/secret_string.hpp"
#include "gatehouse/client/http.hpp"
#include "jose/jwk.hpp"

namespace gh::sdk {

enum class AuthMethod { client_secret_basic, client_secret_post, private_key_jwt };

struct TokenClientOptions {
  std::string issuer;          // discovery from here when token_endpoint is empty
  std::string token_endpoint;  // explicit endpoint (no discovery)
  std::string client_id;
  AuthMethod method = AuthMethod::private_key_jwt;
  core::SecretString client_secret;          // client_secret_basic / _post
  std::optional<jose::Jwk> private_key;      // private_key_jwt
  std::vector<std::string> scopes;
  std::string resource;                      // RFC 8707 resource indicator (optional)
  std::optional<jose::Jwk> dpop_key;         // set: DPoP-bound tokens (RFC 9449)
  std::chrono::seconds refresh_before{60};   // renew this long before expires_in runs out
  int max_attempts = 4;                      // per token request, 429/5xx/transport failures
  std::chrono::milliseconds backoff{500};    // first retry delay without a server hint, doubled
  std::chrono::milliseconds max_backoff{30000};
};

struct Deps {
  std::shared_ptr<Transport> transport;  // default: make_beast_transport()
  const core::Clock* clock = nullptr;    // default: the system clock
  Sleeper* sleeper = nullptr;            // default: ThreadSleeper
  core::Random* random = nullptr;        // default: SecureRandom
};

struct AccessToken {
  core::SecretString value;
  std::string token_type;  // "Bearer" or "DPoP"
  std::string scope;
  core::SysTime expires_at;
};

// Authorization server metadata (RFC 8414 §2), the members the SDK uses.
struct ServerMetadata {
  std::string issuer;
  std::string token_endpoint;
  std::string jwks_uri;
};
// GET {issuer}'s metadata: RFC 8414 §3.1 (well-known segment before the issuer's path), then
// the segment appended (Okta's form), then /.well-known/openid-configuration (OIDC Discovery
// §4). The document's issuer must equal `issuer` (RFC 8414 §3.3). Errors: discovery_failed.
Result<ServerMetadata> discover(Transport& transport, std::string_view issuer);

// The delay a 429/503 asks for: Retry-After (RFC 9110 §10.2.3, seconds or an HTTP-date) or
// X-Rate-Limit-Reset (okta-compat.md §8, epoch seconds), nullopt when neither is usable.
std::optional<std::chrono::milliseconds> retry_hint(const HttpResponse& res, core::SysTime now);

class TokenClient {
 public:
  // Errors: bad_config (missing client id, secret or key for the method), bad_url, insecure_url.
  static Result<std::unique_ptr<TokenClient>> create(TokenClientOptions opts, Deps deps = {});

  // A valid token: the cached one, or a new one (one request however many threads ask).
  Result<AccessToken> token();
  // Forgets the cached token (e.g. after a 401 from a resource server).
  void invalidate();
  // Sends `req` with the token: Authorization Bearer, or DPoP with a proof bound to the token
  // (ath). A 401 carrying a DPoP-Nonce (RFC 9449 §9) is retried once with that nonce.
  Result<HttpResponse> call(HttpRequest req);

  const std::string& token_endpoint() const { return token_endpoint_; }
  int requests_sent() const;  // token requests sent (tests)

 private:
  TokenClient(TokenClientOptions opts, Deps deps);
  Result<void> resolve_endpoint();
  Result<AccessToken> fetch();
  Result<HttpRequest> token_request(const std::string& nonce);

  TokenClientOptions opts_;
  Deps deps_;
  std::string token_endpoint_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<AccessToken> cached_;
  bool in_flight_ = false;
  std::uint64_t generation_ = 0;    // completed fetches
  std::optional<Error> last_error_;  // the last fetch's failure, for its waiters
  std::string as_nonce_;            // latest DPoP-Nonce of the authorization server
  std::string rs_nonce_;            // latest DPoP-Nonce of resource servers
  int requests_ = 0;
};

}  // namespace gh::sdk
