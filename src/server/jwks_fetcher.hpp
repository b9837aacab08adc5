#pragma once
// oauth::JwksFetcher over net::HttpsClient: GET the jwks_uri (200 only, no redirects, limits and
// the SSRF policy of HttpsClient), parse it as a set of public keys (jose::JwkSet::parse_public:
// private members refuse the whole set, okta-compat.md §11.22) and report Cache-Control max-age.
// The adapter lives in the composition root so that net knows nothing of OAuth, and oauth
// nothing of sockets.
#include "net/https_client.hpp"
#include "oauth/client_auth/jwks_fetcher.hpp"

namespace gh::server {

class HttpsJwksFetcher final : public oauth::JwksFetcher {
 public:
  explicit HttpsJwksFetcher(net::HttpsClient& client) : client_(client) {}
  // Errors: net::Errc, jose::Errc (bad_json, bad_jwks, private_key_material, ...). Thread-safe.
  gh::Result<oauth::FetchedJwks> fetch(std::string_view url) override;

 private:
  net::HttpsClient& client_;
};

}  // namespace gh::server
