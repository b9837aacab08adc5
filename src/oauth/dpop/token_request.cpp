// https://www.rfc-editor.org/rfc/rfc9449#section-5
#include "oauth/dpop/token_request.hpp"

#include <spdlog/spdlog.h>

#include "oauth/dpop/proof.hpp"
#include "store/errc.hpp"

namespace gh::oauth::dpop {

TokenRequestProofs::TokenRequestProofs(std::string nonce_key, const core::Clock& clock, ReplayCache& jtis)
    : nonces_(std::move(nonce_key)), clock_(clock), jtis_(jtis) {}

std::string TokenRequestProofs::current_nonce() const {
  return nonces_.current(core::epoch_ms(clock_.now()) / 1000);
}

Result<std::string> TokenRequestProofs::bind(const http::Request& req, std::string_view token_url,
                                             std::string_view scope) {
  auto fail = [](const boost::system::error_code& ec) {
    auto e = invalid_dpop_proof(std::string(description(ec)));
    e.cause = ec;
    return e;
  };
  auto compact = proof_header(req);
  if (!compact) return fail(compact.error());  // okta-compat.md §4.1: "...header is missing."
  const std::int64_t now = core::epoch_ms(clock_.now()) / 1000;
  // The token endpoint is only reached with POST (oauth::Endpoints); htm must say so (§4.3 (8)).
  auto proof = check_proof(*compact, {http::to_string(req.method), token_url, now, std::nullopt});
  if (!proof) return fail(proof.error());
  // §8, okta-compat.md §1.10, §11.28: a missing, unknown or expired nonce → use_dpop_nonce.
  if (!proof->nonce || !nonces_.accepts(*proof->nonce, now)) {
    auto e = use_dpop_nonce(nonces_.current(now));
    e.cause = proof->nonce ? Errc::bad_nonce : Errc::missing_nonce;
    return e;
  }
  // §11.1: the jti is single-use for as long as the iat window accepts the proof.
  // §11.33: the iat also decides whether the proof may predate a restart.
  switch (jtis_.insert(replay_key(scope, *proof), proof->iat + kIatWindow, now, proof->iat)) {
    case ReplayCache::Outcome::fresh: break;
    case ReplayCache::Outcome::replay: return fail(Errc::replayed);
    case ReplayCache::Outcome::full:
      spdlog::warn("DPoP proof replay cache full at the token endpoint");
      return too_many_requests(std::string(description(Errc::replay_cache_full)));
    // Many nodes: the shared ledger could not answer; refused (fail closed), 503 as for the store.
    case ReplayCache::Outcome::unavailable: return server_error(store::Errc::unavailable);
  }
  return std::move(proof->jkt);
}

}  // namespace gh::oauth::dpop
