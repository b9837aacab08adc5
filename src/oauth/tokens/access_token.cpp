#include "oauth/tokens/access_token.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "jose/jws.hpp"

namespace gh::oauth {
namespace json = boost::json;

bool is_reserved_claim(std::string_view name) {
  for (std::string_view r : {"ver", "jti", "iss", "aud", "iat", "exp", "nbf", "cid", "uid", "scp", "sub",
                             "cnf", "auth_time", "amr", "idp", "nonce"})
    if (name == r) return true;
  return false;
}

Result<MintedToken> mint_access_token(const jose::Jwk& key, const AccessTokenSpec& c,
                                      core::Random& random) {
  MintedToken out;
  out.jti = "AT." + core::random_base62(random, 43);
  json::array scp;
  for (auto& s : c.scopes) scp.emplace_back(s);
  // okta-compat.md §4.2, in Okta's order.
  json::object claims{{"ver", 1},
                      {"jti", out.jti},
                      {"iss", c.issuer},
                      {"aud", c.audience},
                      {"iat", c.issued_at},
                      {"exp", c.expires_at},
                      {"cid", c.client_id},
                      {"scp", std::move(scp)},
                      {"sub", c.subject.empty() ? c.client_id : c.subject}};
  if (!c.jkt.empty()) claims["cnf"] = json::object{{"jkt", c.jkt}};  // RFC 9449 §6.1
  for (auto& m : c.extra)
    if (!is_reserved_claim(m.key())) claims[m.key()] = m.value();
  auto jwt = jose::sign(jose::signing_alg(key), key, json::object{{"kid", key.kid()}}, json::serialize(claims));
  if (!jwt) {
    spdlog::error("access token signing failed kid={} error=\"{}\"", key.kid(), jwt.error().message());
    auto e = server_error();
    e.cause = jwt.error();
    return e;
  }
  out.jwt = std::move(*jwt);
  return out;
}

}  // namespace gh::oauth
