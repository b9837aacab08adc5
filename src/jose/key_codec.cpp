#include "jose/key_codec.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/base64.hpp"
#include "core/secret_string.hpp"
#include "jose/errc.hpp"

namespace gh::jose::detail {
namespace {

namespace json = boost::json;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// A base64url-encoded member (RFC 7518 §6: "Base64urlUInt" or raw octets).
// Absent → missing_key_member; wrong type, bad encoding or empty → bad_key.
Result<std::string> member_bytes(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr) return Errc::missing_key_member;
  if (!v->is_string()) return Errc::bad_key;
  auto raw = core::base64url_decode(v->get_string());
  if (!raw || raw->empty()) return Errc::bad_key;
  return std::move(*raw);
}

Result<SecureBnPtr> member_bn(const json::object& o, std::string_view name) {
  auto raw = member_bytes(o, name);
  if (!raw) return raw.error();
  core::SecretString guard{std::move(*raw)};  // private members are cleansed on return
  SecureBnPtr bn{
      BN_bin2bn(bytes(guard.reveal()), static_cast<int>(guard.reveal().size()), nullptr)};
  if (!bn) return Errc::crypto_failed;
  return bn;
}

// Runs EVP_PKEY_fromdata for `type` over the parameters collected in `bld`.
Result<PkeyPtr> from_params(const char* type, OSSL_PARAM_BLD* bld, int selection) {
  ParamPtr params{OSSL_PARAM_BLD_to_param(bld)};
  PkeyCtxPtr ctx{EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr)};
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) {
    ERR_clear_error();
    return Errc::bad_key;
  }
  return PkeyPtr{raw};
}

enum class KeyCheck {
  // The point is on the curve and not at infinity (RFC 8725 §3.4). For the prime-order NIST
  // curves (cofactor 1) this is full validation (NIST SP 800-56A §5.6.2.3.4): the n·Q = O test
  // of EVP_PKEY_public_check adds a scalar multiplication per key and nothing else, and DPoP
  // proofs bring a key with every request.
  ec_point,
  pairwise,  // the private key matches the public one
};
Result<void> check_key(EVP_PKEY* key, KeyCheck check) {
  PkeyCtxPtr ctx{EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr)};
  if (!ctx) return Errc::crypto_failed;
  int rc = check == KeyCheck::pairwise ? EVP_PKEY_pairwise_check(ctx.get()) : EVP_PKEY_public_check_quick(ctx.get());
  ERR_clear_error();
  if (rc != 1) return Errc::bad_key;
  return {};
}

std::size_t coordinate_size(Curve crv) {
  switch (crv) {
    case Curve::p256: return 32;
    case Curve::p384: return 48;
    case Curve::p521: return 66;
    case Curve::ed25519: return 32;
    case Curve::none: return 0;
  }
  return 0;
}

const char* group_name(Curve crv) {
  switch (crv) {
    case Curve::p256: return "prime256v1";
    case Curve::p384: return "secp384r1";
    default: return "secp521r1";
  }
}

// RFC 7518 §6.2.1.1 ("crv" for EC), RFC 8037 §2 ("crv" for OKP).
Result<Curve> member_crv(const json::object& o, KeyType kty) {
  const json::value* v = o.if_contains("crv");
  if (v == nullptr) return Errc::missing_key_member;
  if (!v->is_string()) return Errc::bad_key;
  std::string_view s = v->get_string();
  if (kty == KeyType::ec) {
    for (Curve c : {Curve::p256, Curve::p384, Curve::p521})
      if (crv_name(c) == s) return c;
  } else if (s == crv_name(Curve::ed25519)) {
    return Curve::ed25519;
  }
  return Errc::unsupported_crv;
}

Result<std::string> bn_member(EVP_PKEY& key, const char* param, std::size_t pad) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(&key, param, &raw) != 1) return Errc::crypto_failed;
  BnPtr bn{raw};
  std::string out(pad == 0 ? static_cast<std::size_t>(BN_num_bytes(bn.get())) : pad, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int n = pad == 0 ? BN_bn2bin(bn.get(), o) : BN_bn2binpad(bn.get(), o, static_cast<int>(pad));
  if (n < 0) return Errc::crypto_failed;
  return core::base64url_encode(out);
}

bool has_bn_param(EVP_PKEY& key, const char* param) {
  BIGNUM* raw = nullptr;
  bool ok = EVP_PKEY_get_bn_param(&key, param, &raw) == 1;
  BN_clear_free(raw);
  ERR_clear_error();
  return ok;
}

}  // namespace

Result<PkeyPtr> rsa_from_jwk(const json::object& o, bool want_private) {
  // RFC 7518 §6.3.1: n and e are required public members.
  auto n = member_bn(o, "n");
  if (!n) return n.error();
  auto e = member_bn(o, "e");
  if (!e) return e.error();
  if (!BN_is_odd(n->get()) || !BN_is_odd(e->get()) || BN_is_one(e->get())) return Errc::bad_key;
  ParamBldPtr bld{OSSL_PARAM_BLD_new()};
  if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n->get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e->get()))
    return Errc::crypto_failed;
  if (!want_private) return from_params("RSA", bld.get(), EVP_PKEY_PUBLIC_KEY);

  // RFC 7518 §6.3.2: d is required; p, q, dp, dq, qi come all together or not at all;
  // "oth" (more than two primes) is not supported.
  if (!o.contains("d")) return Errc::not_private_key;
  if (o.contains("oth")) return Errc::bad_key;
  auto d = member_bn(o, "d");
  if (!d) return d.error();
  if (!OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d->get()))
    return Errc::crypto_failed;
  static constexpr std::pair<const char*, const char*> kCrt[] = {
      {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
      {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
      {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
      {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
      {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
  int present = 0;
  for (const auto& [name, _] : kCrt) present += o.contains(name) ? 1 : 0;
  if (present != 0 && present != 5) return Errc::missing_key_member;
  std::vector<SecureBnPtr> crt;  // must outlive OSSL_PARAM_BLD_to_param
  for (const auto& [name, param] : kCrt) {
    if (present == 0) break;
    auto bn = member_bn(o, name);
    if (!bn) return bn.error();
    crt.push_back(std::move(*bn));
    if (!OSSL_PARAM_BLD_push_BN(bld.get(), param, crt.back().get())) return Errc::crypto_failed;
  }
  auto key = from_params("RSA", bld.get(), EVP_PKEY_KEYPAIR);
  if (!key) return key.error();
  if (present != 0) {
    if (auto ok = check_key(key->get(), KeyCheck::pairwise); !ok) return ok.error();
  }
  return key;
}

Result<PkeyPtr> ec_from_jwk(const json::object& o, bool want_private) {
  auto crv = member_crv(o, KeyType::ec);
  if (!crv) return crv.error();
  const std::size_t size = coordinate_size(*crv);
  auto x = member_bytes(o, "x");
  if (!x) return x.error();
  auto y = member_bytes(o, "y");
  if (!y) return y.error();
  // RFC 7518 §6.2.1.2-3: x and y are the full coordinate size, even with leading zeros.
  if (x->size() != size || y->size() != size) return Errc::bad_key;
  std::string point = "\x04" + *x + *y;  // SEC 1 uncompressed point
  ParamBldPtr bld{OSSL_PARAM_BLD_new()};
  if (!bld ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group_name(*crv),
                                       0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()))
    return Errc::crypto_failed;
  SecureBnPtr d;
  if (want_private) {
    if (!o.contains("d")) return Errc::not_private_key;
    auto d_raw = member_bytes(o, "d");
    if (!d_raw) return d_raw.error();
    core::SecretString guard{std::move(*d_raw)};
    // RFC 7518 §6.2.2.1: d is the full coordinate size.
    if (guard.reveal().size() != size) return Errc::bad_key;
    d.reset(BN_bin2bn(bytes(guard.reveal()), static_cast<int>(size), nullptr));
    if (!d || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()))
      return Errc::crypto_failed;
  }
  auto key = from_params("EC", bld.get(), want_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
  if (!key) return key.error();
  // RFC 8725 §3.4: validate the point (invalid-curve attacks); a private d must match it.
  if (auto ok = check_key(key->get(), KeyCheck::ec_point); !ok) return ok.error();
  if (want_private) {
    if (auto ok = check_key(key->get(), KeyCheck::pairwise); !ok) return ok.error();
  }
  return key;
}

Result<PkeyPtr> okp_from_jwk(const json::object& o, bool want_private) {
  auto crv = member_crv(o, KeyType::okp);
  if (!crv) return crv.error();
  // RFC 8037 §2: x is the raw public key (32 octets for Ed25519), required also in private keys.
  auto x = member_bytes(o, "x");
  if (!x) return x.error();
  if (x->size() != 32) return Errc::bad_key;
  if (!want_private) {
    PkeyPtr key{EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(*x), x->size())};
    if (!key) return Errc::bad_key;
    return key;
  }
  if (!o.contains("d")) return Errc::not_private_key;
  auto d_raw = member_bytes(o, "d");
  if (!d_raw) return d_raw.error();
  core::SecretString d{std::move(*d_raw)};
  if (d.reveal().size() != 32) return Errc::bad_key;
  PkeyPtr key{EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(d.reveal()), 32)};
  if (!key) return Errc::bad_key;
  unsigned char pub[32];
  std::size_t len = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(key.get(), pub, &len) != 1) return Errc::crypto_failed;
  if (len != 32 || std::memcmp(pub, x->data(), 32) != 0) return Errc::bad_key;  // d and x disagree
  return key;
}

Result<KeyInfo> inspect(EVP_PKEY& key) {
  KeyInfo info;
  info.bits = EVP_PKEY_get_bits(&key);
  if (EVP_PKEY_is_a(&key, "RSA")) {
    info.kty = KeyType::rsa;
    info.is_private = has_bn_param(key, OSSL_PKEY_PARAM_RSA_D);
    return info;
  }
  if (EVP_PKEY_is_a(&key, "EC")) {
    info.kty = KeyType::ec;
    char name[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(&key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) !=
        1)
      return Errc::unsupported_crv;
    std::string_view g{name, len};
    if (g == "prime256v1" || g == "P-256")
      info.crv = Curve::p256;
    else if (g == "secp384r1" || g == "P-384")
      info.crv = Curve::p384;
    else if (g == "secp521r1" || g == "P-521")
      info.crv = Curve::p521;
    else
      return Errc::unsupported_crv;
    info.is_private = has_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY);
    return info;
  }
  if (EVP_PKEY_is_a(&key, "ED25519")) {
    info.kty = KeyType::okp;
    info.crv = Curve::ed25519;
    std::size_t len = 0;
    info.is_private = EVP_PKEY_get_raw_private_key(&key, nullptr, &len) == 1;
    ERR_clear_error();
    return info;
  }
  if (EVP_PKEY_is_a(&key, "ED448") || EVP_PKEY_is_a(&key, "X25519") || EVP_PKEY_is_a(&key, "X448"))
    return Errc::unsupported_crv;
  return Errc::unsupported_kty;
}

Result<json::object> required_public_members(EVP_PKEY& key, const KeyInfo& info) {
  // Inserted in lexicographic order, so serialize() yields the RFC 7638 §3.3 canonical form.
  json::object out;
  if (info.kty == KeyType::rsa) {
    auto e = bn_member(key, OSSL_PKEY_PARAM_RSA_E, 0);
    auto n = bn_member(key, OSSL_PKEY_PARAM_RSA_N, 0);
    if (!e || !n) return Errc::crypto_failed;
    out["e"] = *e;
    out["kty"] = "RSA";
    out["n"] = *n;
    return out;
  }
  out["crv"] = crv_name(info.crv);
  out["kty"] = kty_name(info.kty);
  if (info.kty == KeyType::ec) {
    const std::size_t size = coordinate_size(info.crv);
    auto x = bn_member(key, OSSL_PKEY_PARAM_EC_PUB_X, size);
    auto y = bn_member(key, OSSL_PKEY_PARAM_EC_PUB_Y, size);
    if (!x || !y) return Errc::crypto_failed;
    out["x"] = *x;
    out["y"] = *y;
    return out;
  }
  unsigned char pub[32];
  std::size_t len = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(&key, pub, &len) != 1) return Errc::crypto_failed;
  out["x"] = core::base64url_encode({reinterpret_cast<const char*>(pub), len});
  return out;
}

}  // namespace gh::jose::detail
