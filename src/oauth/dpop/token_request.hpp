#pragma once
// DPoP at the token endpoint (RFC 9449 §5, §8; okta-compat.md §1.10, §4.1, §11.28): for apps with
// settings.oauthClient.dpop_bound_access_tokens, the request must carry one valid proof for
// POST and the token URL, with a current server nonce and an unused jti.
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "http/message.hpp"
#include "oauth/client_auth/replay_cache.hpp"
#include "oauth/dpop/nonce.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth::dpop {

class TokenRequestProofs {
 public:
  // `nonce_key`: secret bytes derived from the master key (NonceSource). `jtis`: where used
  // proofs are remembered (built by the composition root; bounded).
  TokenRequestProofs(std::string nonce_key, const core::Clock& clock, ReplayCache& jtis);

  // Checks the request's proof for `token_url` (the endpoint invoked, e.g. ORG/oauth2/v1/token)
  // and returns the key's jkt to bind the token to (RFC 9449 §6.1). The nonce is checked after
  // every other rule, and the jti is recorded only once everything else passed.
  // Errors: 400 invalid_dpop_proof (dpop::description texts); 400 use_dpop_nonce with a fresh
  // DPoP-Nonce for a missing, unknown or expired nonce (§11.28); 429 too_many_requests when the
  // replay cache is full. `scope` (the org id) separates the jti namespaces. Thread-safe.
  Result<std::string> bind(const http::Request& req, std::string_view token_url, std::string_view scope);

  // The nonce handed out now (for a DPoP-Nonce header on other responses, RFC 9449 §8.2).
  std::string current_nonce() const;

 private:
  NonceSource nonces_;
  const core::Clock& clock_;
  ReplayCache& jtis_;
};

}  // namespace gh::oauth::dpop
