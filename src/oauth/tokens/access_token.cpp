#include "oauth/tokens/access_token.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/json_text.hpp"
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
  // okta-compat.md §4.2, in Okta's order. Written directly (the bytes boost::json would give
  // for the same object, core/json_text.hpp): a JSON tree only to serialise it cost ~9k
  // instructions a token (issue 20).
  std::string claims;
  claims.reserve(256 + c.issuer.size() + 2 * c.client_id.size());
  auto member = [&claims](std::string_view name) {
    claims += claims.empty() ? '{' : ',';
    core::append_json_string(claims, name);
    claims += ':';
  };
  auto string_member = [&](std::string_view name, std::string_view v) {
    member(name);
    core::append_json_string(claims, v);
  };
  auto number_member = [&](std::string_view name, std::int64_t v) {
    member(name);
    claims += std::to_string(v);
  };
  number_member("ver", 1);
  string_member("jti", out.jti);
  string_member("iss", c.issuer);
  member("aud");
  if (c.audience.is_string()) core::append_json_string(claims, c.audience.get_string());
  else claims += json::serialize(c.audience);
  number_member("iat", c.issued_at);
  number_member("exp", c.expires_at);
  string_member("cid", c.client_id);
  member("scp");
  claims += '[';
  for (std::size_t i = 0; i < c.scopes.size(); ++i) {
    if (i) claims += ',';
    core::append_json_string(claims, c.scopes[i]);
  }
  claims += ']';
  string_member("sub", c.subject.empty() ? c.client_id : c.subject);
  if (!c.jkt.empty()) {  // RFC 9449 §6.1
    member("cnf");
    claims += R"({"jkt":)";
    core::append_json_string(claims, c.jkt);
    claims += '}';
  }
  // Custom claims after the reserved ones; `extra` is an object, so its names are distinct.
  for (auto& m : c.extra) {
    if (is_reserved_claim(m.key())) continue;
    member(m.key());
    claims += json::serialize(m.value());
  }
  claims += '}';
  auto jwt = jose::sign_with_kid(jose::signing_alg(key), key, claims);
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
