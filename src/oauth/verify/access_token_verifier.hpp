#pragma once
// Verification of Gatehouse's own access tokens (DESIGN.md "Tokens", okta-compat.md §3, §4.2):
// for the management API (org AS tokens), introspection and revocation (any AS of the org).
#include <boost/json/value.hpp>
#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "model/directory.hpp"
#include "model/org_model.hpp"
#include "keys/signing_keys.hpp"

namespace gh::oauth {

// Why a token was refused. Logged (with sha256(token)[0:8]), never sent to the client.
enum class TokenErrc {
  ok = 0,
  malformed = 1,         // not a compact JWS, or a key/crit in the header
  missing_kid,           // header has no "kid" (or not a string)
  unknown_kid,           // no verification key of this AS with this kid
  alg_none,              // header alg "none"
  alg_hmac,              // header alg HS*
  alg_mismatch,          // header alg differs from the key's algorithm
  bad_signature,         // signature does not verify
  bad_claims,            // payload is not a JSON object, or a required claim is missing/mistyped
  wrong_issuer,          // iss is not the AS issuer
  wrong_audience,        // aud is not (one of) the AS audiences
  expired,               // now >= exp (+ skew)
  not_yet_valid,         // iat or nbf in the future (beyond skew)
  unknown_auth_server,   // the custom AS does not exist
  auth_server_inactive,  // the custom AS is not ACTIVE
  unknown_client,        // cid is not an app of this org
  client_inactive,       // the app is not ACTIVE (or its tokens were reset after iat)
  revoked,               // jti is in the revocation set
};

const boost::system::error_category& token_category() noexcept;
inline boost::system::error_code make_error_code(TokenErrc e) noexcept {
  return {static_cast<int>(e), token_category()};
}

// The claims of a verified access token (okta-compat.md §4.2).
struct AccessTokenClaims {
  std::string jti, cid, sub, iss, kid;
  std::vector<std::string> scp;
  boost::json::value aud;           // as in the token: a string, or an array of strings
  std::int64_t iat = 0, exp = 0;
  std::optional<std::int64_t> nbf;
  std::optional<std::string> uid;   // absent for client_credentials
  std::optional<std::string> jkt;   // cnf.jkt of DPoP-bound tokens (RFC 9449 §6)
};

// The issuer of `as_id` in `org`: ORG for the org AS (""), ORG/oauth2/{asId} otherwise.
std::string issuer_of(const model::OrgModel& org, std::string_view as_id);

// Whether `client_id` holds an ACTIVE scope_grant for `scope` in `org`. Org AS tokens carry only
// granted okta.* scopes, and revoking a grant takes effect on tokens already issued (issue #3), so
// consumers of org AS tokens intersect `scp` with this. Caller holds the org lock.
bool has_active_grant(const model::OrgModel& org, std::string_view client_id, std::string_view scope);

// The largest clock skew a verifier accepts on exp, iat and nbf (its `skew` is clamped to it).
inline constexpr std::chrono::seconds kMaxClockSkew{60};

// Verifies access tokens issued by one AS of one org. Thread-safe.
//
// Checks, in order: compact JWS; kid; the key KeyRing::verifier(org, as_id, kid) (the key fixes
// the algorithm; the header's alg must name it, RFC 8725 §3.1); signature; claim types; exp/iat/nbf
// with `skew` (clamped to 0..kMaxClockSkew); iss and aud as the AS issues them; the custom AS is ACTIVE;
// the client (cid) is an ACTIVE app of `org` (and, for an API service integration instance, one
// whose integration the operator did not revoke: issue 15, given a `directory`); jti not revoked
// (documents kind revoked_token).
//
// A bounded cache (keyed by org, AS and the whole token, compared in full) saves the JSON and
// signature work on repeated tokens; every check that depends on time or on the org model runs on every call, so revocation,
// app deactivation, key removal and AS deactivation act on the next request.
class AccessTokenVerifier {
 public:
  // `directory` (may be null: no API service integration rules) is read at request time.
  AccessTokenVerifier(keys::KeyRing& keyring, const core::Clock& clock,
                      std::chrono::seconds skew = std::chrono::seconds{0},
                      std::size_t cache_capacity = 10'000, const model::Directory* directory = nullptr);

  // Whether the client `client_id` of an org AS token may use `scope` now: an ACTIVE grant, and
  // for an integration instance the rules of oauth/verify/integration_scopes.hpp. The caller
  // holds org.mutex().
  bool may_use_scope(const model::OrgModel& org, std::string_view client_id, std::string_view scope) const;
  // Whether `client_id` is an API service integration instance (issue 15): it has no admin role.
  static bool is_integration_instance(const model::OrgModel& org, std::string_view client_id);

  // `as_id` "" is the org AS. The caller holds org.mutex() (shared or exclusive).
  // Errors: TokenErrc values (token_category()).
  gh::Result<std::shared_ptr<const AccessTokenClaims>> verify(std::string_view token,
                                                          const model::OrgModel& org,
                                                          std::string_view as_id);

 private:
  using Claims = std::shared_ptr<const AccessTokenClaims>;
  gh::Result<Claims> verify_uncached(std::string_view token, const model::OrgModel& org,
                                 std::string_view as_id);
  gh::Result<void> check_live(const AccessTokenClaims& c, const model::OrgModel& org,
                          std::string_view as_id) const;
  Claims cache_find(const std::string& key) const;
  void cache_put(std::string key, Claims claims);

  keys::KeyRing& keyring_;
  const core::Clock& clock_;
  const model::Directory* directory_;
  std::int64_t skew_s_;
  static constexpr std::size_t kShards = 16;
  std::size_t shard_capacity_;
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Claims> map;  // org \n AS \n token → claims (claims keep exp)
  };
  Shard& shard_of(const std::string& key) const;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace gh::oauth

template <>
struct boost::system::is_error_code_enum<gh::oauth::TokenErrc> : std::true_type {};
