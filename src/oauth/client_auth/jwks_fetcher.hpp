#pragma once
// The seam between the OAuth engine and outbound HTTP (issue #3 "jwks_uri"): the engine asks for
// a client's JWK set by URL; src/net implements it (TLS, SSRF address policy, time and size
// limits, no redirects) and src/server wires it. Nothing here knows sockets.
#include <chrono>
#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "jose/jwk.hpp"

namespace gh::oauth {

struct FetchedJwks {
  jose::JwkSet keys;                            // public keys only (JwkSet::parse_public)
  std::optional<std::chrono::seconds> max_age;  // what Cache-Control granted (http::max_age)
};

class JwksFetcher {
 public:
  virtual ~JwksFetcher() = default;
  // Fetches and parses the JWK set at `url`. Blocks the calling thread for at most the
  // implementation's time limit: call it only where waiting on the network is allowed (the
  // server's outbound lane), never on an I/O or the writer thread. Errors are values whose
  // messages carry no response bytes. Thread-safe.
  virtual gh::Result<FetchedJwks> fetch(std::string_view url) = 0;
};

}  // namespace gh::oauth
