#pragma once
// DPoP proof JWTs (RFC 9449 §4.2, §4.3): the stateless checks, shared by the token endpoint and
// resource servers. Single use (the jti) and the server nonce are the callers' (they hold the
// state); see token_request.hpp and resource_request.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/message.hpp"
#include "oauth/dpop/errc.hpp"

namespace gh::oauth::dpop {

// The proof algorithms Gatehouse accepts and advertises (dpop_signing_alg_values_supported,
// okta-compat.md §3 `algs`).
inline constexpr std::string_view kSupportedAlgs = "RS256 RS384 RS512 ES256 ES384 ES512";
// okta-compat.md §4.1: iat within ±5 min of the server's time (RFC 9449 §11.1).
inline constexpr std::int64_t kIatWindow = 300;
inline constexpr std::size_t kMaxJtiLength = 256;

// What the proof must match: the request it came with.
struct ProofExpectations {
  std::string_view method;  // the request's method, e.g. "POST" (htm, case-sensitive)
  std::string_view url;     // the canonical URL the request was sent to: ORG + path (htu)
  std::int64_t now = 0;     // epoch seconds
  // Resource requests: the access token the proof must carry the hash of (ath, §4.3 (10)).
  std::optional<std::string_view> access_token;
};

// A proof that passed every stateless check.
struct Proof {
  std::string jkt;  // RFC 7638 SHA-256 thumbprint of the proof's jwk (§6.1 cnf.jkt)
  std::string jti;
  std::int64_t iat = 0;
  std::optional<std::string> nonce;
};

// The single DPoP header of `req` (RFC 9449 §4.3 (1)). Errors: missing_header (absent or
// empty), multiple_headers.
gh::Result<std::string_view> proof_header(const http::Request& req);

// Checks `compact` against §4.3 steps 2-10 in order: compact JWS with JSON header and claims;
// typ dpop+jwt; alg one of kSupportedAlgs, never none or symmetric; no crit; jwk a public
// key (private members → private_key_in_jwk) fit for alg; signature; jti; htm; htu
// (htu.hpp); iat within ±kIatWindow; ath when an access token is expected. A nonce claim is
// returned unchecked. Errors: dpop::Errc. Thread-safe.
gh::Result<Proof> check_proof(std::string_view compact, const ProofExpectations& want);

// The replay-cache key of a proof: its key's thumbprint and jti, within `scope` (an org id),
// so that one client can never use up another's jti values.
std::string replay_key(std::string_view scope, const Proof& p);

// RFC 9449 §4.2 ath: base64url(SHA-256(ASCII(access_token))).
std::string access_token_hash(std::string_view access_token);

}  // namespace gh::oauth::dpop
