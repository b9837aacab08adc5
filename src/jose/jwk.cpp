#include "jose/jwk.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "core/base64.hpp"
#include "crypto/mac.hpp"
#include "jose/errc.hpp"
#include "jose/key_codec.hpp"

namespace gh::jose {
namespace {

namespace json = boost::json;

// RFC 7518 §6.3.2 (RSA), §6.2.2 (EC), §6.4 ("k" of oct), RFC 8037 §2 ("d" of OKP).
constexpr std::string_view kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

// An optional string member: absent → "", present but not a string → bad_key.
Result<std::string> optional_string(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return std::string{};
  if (!v->is_string()) return Errc::bad_key;
  return std::string(v->get_string());
}

}  // namespace

Jwk::Jwk(const Jwk& other)
    : pkey_(share_pkey(other.pkey_.get())),
      kty_(other.kty_),
      crv_(other.crv_),
      bits_(other.bits_),
      is_private_(other.is_private_),
      kid_(other.kid_),
      alg_(other.alg_),
      use_(other.use_),
      required_(other.required_) {}

Jwk& Jwk::operator=(const Jwk& other) {
  if (this != &other) *this = Jwk(other);
  return *this;
}

Result<Jwk> Jwk::parse_public(const json::object& jwk) { return parse(jwk, false); }
Result<Jwk> Jwk::parse_private(const json::object& jwk) { return parse(jwk, true); }

Result<Jwk> Jwk::parse(const json::object& o, bool want_private) {
  // okta-compat.md §11.22 / RFC 7517 §9.2: a key registered as public must not carry secrets.
  if (!want_private) {
    for (std::string_view m : kPrivateMembers)
      if (o.contains(m)) return Errc::private_key_material;
  }
  // RFC 7517 §4.1: "kty" is required and case-sensitive.
  const json::value* kty = o.if_contains("kty");
  if (kty == nullptr) return Errc::missing_key_member;
  if (!kty->is_string()) return Errc::bad_key;
  std::string_view k = kty->get_string();
  Result<PkeyPtr> key = Errc::unsupported_kty;  // "oct" and anything unknown
  if (k == "RSA")
    key = detail::rsa_from_jwk(o, want_private);
  else if (k == "EC")
    key = detail::ec_from_jwk(o, want_private);
  else if (k == "OKP")
    key = detail::okp_from_jwk(o, want_private);
  if (!key) return key.error();

  auto kid = optional_string(o, "kid");       // RFC 7517 §4.5
  auto use = optional_string(o, "use");       // RFC 7517 §4.2
  auto alg_text = optional_string(o, "alg");  // RFC 7517 §4.4
  if (!kid || !use || !alg_text) return Errc::bad_key;
  std::optional<Alg> alg;
  if (o.contains("alg")) {
    auto parsed = parse_alg(*alg_text);
    if (!parsed) return parsed.error();
    alg = *parsed;
  }
  return from_pkey(std::move(*key), std::move(*kid), alg, std::move(*use));
}

Result<Jwk> Jwk::from_pkey(PkeyPtr key, std::string kid, std::optional<Alg> alg, std::string use) {
  if (!key) return Errc::bad_key;
  auto info = detail::inspect(*key);
  if (!info) return info.error();
  if (info->kty == KeyType::rsa) {
    if (info->bits < kMinRsaBits) return Errc::key_too_small;  // RFC 7518 §3.3
    if (info->bits > kMaxRsaBits) return Errc::bad_key;
  }
  auto required = detail::required_public_members(*key, *info);
  if (!required) return required.error();
  Jwk jwk;
  jwk.pkey_ = std::move(key);
  jwk.kty_ = info->kty;
  jwk.crv_ = info->crv;
  jwk.bits_ = info->bits;
  jwk.is_private_ = info->is_private;
  jwk.kid_ = std::move(kid);
  jwk.use_ = std::move(use);
  jwk.required_ = std::move(*required);
  // RFC 7517 §4.4: a key's "alg" must name an algorithm usable with that key.
  if (alg && (key_type_for(*alg) != jwk.kty_ || curve_for(*alg) != jwk.crv_))
    return Errc::key_alg_mismatch;
  jwk.alg_ = alg;
  return jwk;
}

Result<void> Jwk::check_alg(Alg alg) const {
  // RFC 7518 §3.1 / RFC 8725 §3.1: the algorithm must fit the key's family and curve.
  if (key_type_for(alg) != kty_ || curve_for(alg) != crv_) return Errc::key_alg_mismatch;
  // RFC 7517 §4.4: a key that names its algorithm is used with that algorithm only.
  if (alg_ && *alg_ != alg) return Errc::key_alg_mismatch;
  // RFC 7517 §4.2: an encryption key is never used for signatures.
  if (!use_.empty() && use_ != "sig") return Errc::bad_key_use;
  return {};
}

json::object Jwk::to_public_json() const {
  json::object out;
  out["kty"] = kty_name(kty_);
  if (alg_) out["alg"] = alg_name(*alg_);
  if (!kid_.empty()) out["kid"] = kid_;
  if (!use_.empty()) out["use"] = use_;
  for (const auto& member : required_) {
    if (member.key() != "kty") out[member.key()] = member.value();
  }
  return out;
}

std::string Jwk::thumbprint() const {
  // RFC 7638 §3: members in lexicographic order, no whitespace, hashed with SHA-256.
  auto digest = crypto::sha256(json::serialize(required_));
  return core::base64url_encode({reinterpret_cast<const char*>(digest.data()), digest.size()});
}

Result<JwkSet> JwkSet::parse_public(const json::object& jwks) {
  // RFC 7517 §5.1: "keys" is a required array of JWK objects.
  const json::value* keys = jwks.if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return Errc::bad_jwks;
  std::vector<Jwk> parsed;
  parsed.reserve(keys->get_array().size());
  for (const json::value& v : keys->get_array()) {
    if (!v.is_object()) return Errc::bad_jwks;
    // RFC 7517 §5 lets readers skip keys they do not understand; registered client keys are
    // validated instead (okta-compat.md §11.22), so any bad key refuses the whole set.
    auto key = Jwk::parse_public(v.get_object());
    if (!key) return key.error();
    parsed.push_back(std::move(*key));
  }
  return from_keys(std::move(parsed));
}

Result<JwkSet> JwkSet::parse_public(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Errc::bad_json;
  if (!v.is_object()) return Errc::bad_jwks;
  return parse_public(v.get_object());
}

Result<JwkSet> JwkSet::from_keys(std::vector<Jwk> keys) {
  // RFC 7517 §4.5: kids distinguish keys within a set; okta-compat.md §11.22 requires them.
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].kid().empty()) return Errc::missing_kid;
    for (std::size_t j = 0; j < i; ++j)
      if (keys[j].kid() == keys[i].kid()) return Errc::duplicate_kid;
  }
  JwkSet set;
  set.keys_ = std::move(keys);
  return set;
}

const Jwk* JwkSet::find(std::string_view kid) const noexcept {
  auto it = std::find_if(keys_.begin(), keys_.end(), [&](const Jwk& k) { return k.kid() == kid; });
  return it == keys_.end() ? nullptr : &*it;
}

Result<const Jwk*> JwkSet::get(std::string_view kid) const {
  const Jwk* k = find(kid);
  if (k == nullptr) return Errc::kid_not_found;
  return k;
}

json::object JwkSet::to_public_json() const {
  json::array keys;
  for (const Jwk& k : keys_) keys.push_back(k.to_public_json());
  return {{"keys", std::move(keys)}};
}

Alg signing_alg(const Jwk& key) noexcept {
  if (key.alg()) return *key.alg();
  switch (key.kty()) {
    case KeyType::ec:
      return key.crv() == Curve::p384 ? Alg::ES384 : key.crv() == Curve::p521 ? Alg::ES512 : Alg::ES256;
    case KeyType::okp: return Alg::EdDSA;
    case KeyType::rsa: break;
  }
  return Alg::RS256;
}

}  // namespace gh::jose
