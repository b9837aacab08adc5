#include "server/jwks_fetcher.hpp"

#include "http/cache_control.hpp"

namespace gh::server {

gh::Result<oauth::FetchedJwks> HttpsJwksFetcher::fetch(std::string_view url) {
  auto doc = client_.get(url);
  if (!doc) return doc.error();
  auto set = jose::JwkSet::parse_public(std::string_view(doc->body));
  if (!set) return set.error();
  return oauth::FetchedJwks{std::move(*set), http::max_age(doc->cache_control)};
}

}  // namespace gh::server
