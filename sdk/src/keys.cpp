// Private keys and the JWTs the client signs: client assertions (RFC 7523) and DPoP proofs
// (RFC 9449).
#include "gatehouse/client/keys.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <vector>

#include "core/base64.hpp"
#include "gatehouse/client/http.hpp"
#include "jose/jws.hpp"
#include "jose/keys.hpp"

namespace gh::sdk {
namespace json = boost::json;

Result<jose::Jwk> load_private_key(std::string_view text, std::string kid) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return Error(Errc::bad_key, 0, "empty key");
  if (text[first] == '{') {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return Error(Errc::bad_key, 0, "not a JSON object");
    auto obj = v.as_object();
    if (!kid.empty()) obj["kid"] = kid;
    auto k = jose::Jwk::parse_private(obj);
    if (!k) return Error(k.error(), 0, "private JWK: " + k.error().message());
    return *k;
  }
  auto pkey = jose::from_pkcs8_pem(text);
  if (!pkey) return Error(pkey.error(), 0, "PEM: " + pkey.error().message());
  auto k = jose::Jwk::from_pkey(std::move(*pkey), std::move(kid));
  if (!k) return Error(k.error(), 0, k.error().message());
  return *k;
}

Result<jose::Jwk> generate_key(bool rsa, std::string kid) {
  auto pkey = rsa ? jose::generate_rsa(2048) : jose::generate_ec(jose::Curve::p256);
  if (!pkey) return Error(pkey.error(), 0, "key generation");
  auto k = jose::Jwk::from_pkey(std::move(*pkey), std::move(kid));
  if (!k) return Error(k.error(), 0, k.error().message());
  return *k;
}

Result<std::string> private_key_pem(const jose::Jwk& key) {
  if (!key.is_private()) return Error(Errc::bad_key, 0, "not a private key");
  auto pem = jose::to_pkcs8_pem(*key.pkey());
  if (!pem) return Error(pem.error(), 0, "PEM encoding");
  return std::string(pem->reveal());
}

std::string random_id(core::Random& random, std::size_t n) {
  std::vector<std::uint8_t> b(n);
  random.fill(b);
  return core::base64url_encode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

std::string sha256_b64url(std::string_view s) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  return core::base64url_encode(std::string_view(reinterpret_cast<const char*>(d), sizeof d));
}

namespace {
std::int64_t seconds(core::SysTime t) { return core::epoch_ms(t) / 1000; }

Result<std::string> sign(const jose::Jwk& key, json::object header, const json::object& claims) {
  auto alg = jose::signing_alg(key);
  auto jws = jose::sign(alg, key, std::move(header), json::serialize(claims));
  if (!jws) return Error(jws.error(), 0, "signing: " + jws.error().message());
  return *jws;
}
}  // namespace

Result<std::string> client_assertion(const jose::Jwk& key, std::string_view client_id,
                                     std::string_view token_endpoint, core::SysTime now,
                                     core::Random& random, std::chrono::seconds lifetime) {
  // okta-compat.md §4: exp no more than one hour after iat.
  if (lifetime > std::chrono::hours(1)) lifetime = std::chrono::hours(1);
  json::object header;
  header["typ"] = "JWT";
  if (!key.kid().empty()) header["kid"] = key.kid();
  json::object c;
  c["iss"] = client_id;  // RFC 7523 §3 items 1-2: iss = sub = client_id
  c["sub"] = client_id;
  c["aud"] = token_endpoint;  // RFC 7523 §3 item 3
  c["iat"] = seconds(now);
  c["exp"] = seconds(now) + lifetime.count();  // RFC 7523 §3 item 4
  c["jti"] = random_id(random);                // RFC 7523 §3 item 7 (Okta requires it)
  return sign(key, std::move(header), c);
}

Result<std::string> dpop_proof(const jose::Jwk& key, std::string_view method, std::string_view url,
                               core::SysTime now, core::Random& random, std::string_view nonce,
                               std::string_view access_token) {
  json::object header;
  header["typ"] = "dpop+jwt";              // RFC 9449 §4.2
  header["jwk"] = key.to_public_json();    // the public key only
  json::object c;
  c["jti"] = random_id(random, 16);
  c["htm"] = method;
  c["htu"] = url_without_query(url);
  c["iat"] = seconds(now);
  if (!nonce.empty()) c["nonce"] = nonce;                          // RFC 9449 §8
  if (!access_token.empty()) c["ath"] = sha256_b64url(access_token);  // RFC 9449 §4.2
  return sign(key, std::move(header), c);
}

}  // namespace gh::sdk
