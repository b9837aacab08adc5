// https://www.rfc-editor.org/rfc/rfc9449#section-7
#include "oauth/dpop/resource_request.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include "oauth/dpop/proof.hpp"
#include "store/errc.hpp"

namespace gh::oauth::dpop {

ResourceProofs::ResourceProofs(const core::Clock& clock, ReplayCache& jtis) : clock_(clock), jtis_(jtis) {}

gh::Result<PendingProof> ResourceProofs::check(const http::Request& req, std::string_view url,
                                               std::string_view access_token, std::string_view jkt,
                                               std::string_view scope) const {
  auto compact = proof_header(req);
  if (!compact) return compact.error();
  if (req.method == http::Method::other) return Errc::bad_htm;
  const std::int64_t now = core::epoch_ms(clock_.now()) / 1000;
  auto proof = check_proof(*compact, {http::to_string(req.method), url, now, access_token});
  if (!proof) return proof.error();
  // §7.1, §6.1: the proof key is the key the token is bound to (cnf.jkt).
  if (proof->jkt.size() != jkt.size() || CRYPTO_memcmp(proof->jkt.data(), jkt.data(), jkt.size()) != 0)
    return Errc::key_mismatch;
  return PendingProof{replay_key(scope, *proof), proof->iat + kIatWindow, proof->iat};
}

gh::Result<void> ResourceProofs::consume(const PendingProof& p) {
  // §11.1, okta-compat.md §3 "Track jti per proof".
  switch (jtis_.insert(p.replay_key, p.expires_at, core::epoch_ms(clock_.now()) / 1000, p.issued_at)) {
    case ReplayCache::Outcome::fresh: return {};
    case ReplayCache::Outcome::replay: return Errc::replayed;
    case ReplayCache::Outcome::full: break;
    // Many nodes: the shared ledger could not answer; refused (fail closed) as the store being
    // unavailable (the management API's 503).
    case ReplayCache::Outcome::unavailable: return store::Errc::unavailable;
  }
  spdlog::warn("DPoP proof replay cache full at the resource server");
  return Errc::replay_cache_full;
}

}  // namespace gh::oauth::dpop
