#pragma once
// DPoP at a resource server (RFC 9449 §7; okta-compat.md §1.10, §3, §11.29): a request with
// `Authorization: DPoP <token>` carries one proof for its method and URL, with `ath` = the hash
// of the token and signed by the key the token is bound to (cnf.jkt). No nonce is demanded
// (Okta's SDK sends none). The jti is consumed in a second step, so that a caller can refuse
// the request first (rate limits: a retried request carries the same proof, okta-compat.md
// §1.12).
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "oauth/client_auth/replay_cache.hpp"
#include "oauth/dpop/errc.hpp"

namespace gh::oauth::dpop {

// A proof that passed every check but single use.
struct PendingProof {
  std::string replay_key;
  std::int64_t expires_at = 0;  // epoch seconds
  std::int64_t issued_at = 0;   // the proof's iat (okta-compat.md §11.33)
};

class ResourceProofs {
 public:
  // `jtis`: where used proofs are remembered (built by the composition root; bounded).
  ResourceProofs(const core::Clock& clock, ReplayCache& jtis);

  // Checks the single DPoP header of `req` against `url` (ORG + path), the request's method,
  // `access_token` (ath) and `jkt` (the token's cnf.jkt). `scope` (the org id) separates the
  // jti namespaces. Errors: dpop::Errc (missing_header → the scheme needs a proof; key_mismatch
  // → a proof for another key; the rest → an invalid proof). Thread-safe.
  gh::Result<PendingProof> check(const http::Request& req, std::string_view url, std::string_view access_token,
                                 std::string_view jkt, std::string_view scope) const;

  // Marks the proof used. Errors: replayed, replay_cache_full, store::Errc::unavailable (a shared
  // ledger could not answer; blocks on the network then). Thread-safe.
  gh::Result<void> consume(const PendingProof& p);

 private:
  const core::Clock& clock_;
  ReplayCache& jtis_;
};

}  // namespace gh::oauth::dpop
