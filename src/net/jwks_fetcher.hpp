#pragma once
// oauth::JwksFetcher over HttpsClient: GET the jwks_uri (200 only, no redirects, limits and the
// SSRF policy of HttpsClient), parse it as a set of public keys (jose::JwkSet::parse_public:
// private members refuse the whole set, okta-compat.md §11.22) and report Cache-Control max-age.
#include "net/https_client.hpp"
#include "oauth/client_auth/jwks_fetcher.hpp"

namespace gh::net {

class HttpsJwksFetcher final : public oauth::JwksFetcher {
 public:
  explicit HttpsJwksFetcher(HttpsClient& client) : client_(client) {}
  // Errors: net::Errc, jose::Errc (bad_json, bad_jwks, private_key_material, ...). Thread-safe.
  gh::Result<oauth::FetchedJwks> fetch(std::string_view url) override;

 private:
  HttpsClient& client_;
};

}  // namespace gh::net
