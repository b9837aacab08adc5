// JWK parsing (RFC 7517, RFC 7518 §6, RFC 8037 §2), thumbprints (RFC 7638) and JWK sets.
#include "jose/jwk.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>

#include "jose/key_memo.hpp"
#include "jose_test_util.hpp"

namespace gh::jose {
namespace {

namespace json = boost::json;
using testing::code;
using testing::code_of;
using testing::load_vector;
using testing::ok;
using testing::str;

json::object with(json::object o, std::string_view key, json::value v) {
  o[key] = std::move(v);
  return o;
}
json::object without(json::object o, std::string_view key) {
  o.erase(key);
  return o;
}

json::object rsa_public() {
  return load_vector("rfc7638_3_1_thumbprint.json").at("jwk").as_object();
}
json::object rsa_private() { return load_vector("rfc7515_a2_rs256.json").at("jwk").as_object(); }
json::object ec_private() { return load_vector("rfc7515_a3_es256.json").at("jwk").as_object(); }
json::object ec_public() { return without(ec_private(), "d"); }
json::object okp_private() { return load_vector("rfc8037_a_ed25519.json").at("jwk").as_object(); }
json::object okp_public() { return without(okp_private(), "d"); }

// A 1024-bit RSA public JWK, which must be refused (RFC 7518 §3.3).
json::object rsa_1024_public() {
  PkeyPtr k{EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024})};
  BIGNUM* n = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(k.get(), OSSL_PKEY_PARAM_RSA_N, &n), 1);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(n)), '\0');
  BN_bn2bin(n, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(n);
  return {{"kty", "RSA"}, {"n", testing::b64(bytes)}, {"e", "AQAB"}};
}

TEST(Jwk, Rfc7638ThumbprintOverRequiredMembersOnly) {
  auto v = load_vector("rfc7638_3_1_thumbprint.json");
  auto key = Jwk::parse_public(v.at("jwk").as_object());  // carries alg and kid too
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(key->thumbprint(), str(v, "thumbprint"));
  EXPECT_EQ(key->kid(), "2011-04-29");
  EXPECT_EQ(key->alg(), Alg::RS256);
  EXPECT_EQ(key->bits(), 2048);
  EXPECT_FALSE(key->is_private());
  auto bare = Jwk::parse_public(without(without(v.at("jwk").as_object(), "kid"), "alg")).value();
  EXPECT_EQ(bare.thumbprint(), str(v, "thumbprint"));
}

TEST(Jwk, ThumbprintIsTheSameForPrivateAndPublicForms) {
  for (auto [name, priv] : {std::pair{"rsa", rsa_private()}, std::pair{"ec", ec_private()},
                            std::pair{"okp", okp_private()}}) {
    SCOPED_TRACE(name);
    auto p = Jwk::parse_private(priv).value();
    auto pub = Jwk::parse_public(p.to_public_json()).value();
    EXPECT_TRUE(p.is_private());
    EXPECT_FALSE(pub.is_private());
    EXPECT_EQ(p.thumbprint(), pub.thumbprint());
    EXPECT_EQ(pub.thumbprint().size(), 43u);  // base64url of 32 octets
  }
}

TEST(Jwk, PublicJsonNeverContainsPrivateMembers) {
  auto key = Jwk::parse_private(with(with(rsa_private(), "kid", "k1"), "use", "sig")).value();
  auto pub = key.to_public_json();
  for (std::string_view m : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(pub.contains(m)) << m;
  EXPECT_EQ(pub.at("kty").as_string(), "RSA");
  EXPECT_EQ(pub.at("kid").as_string(), "k1");
  EXPECT_EQ(pub.at("use").as_string(), "sig");
  EXPECT_EQ(pub.at("n"), rsa_private().at("n"));
  EXPECT_EQ(pub.at("e").as_string(), "AQAB");
  auto ec = Jwk::parse_private(ec_private()).value().to_public_json();
  EXPECT_FALSE(ec.contains("d"));
  EXPECT_EQ(ec.at("x"), ec_private().at("x"));
  EXPECT_EQ(ec.at("y"), ec_private().at("y"));
}

TEST(Jwk, ParsePublicRefusals) {
  struct Case {
    std::string_view name;
    json::object jwk;
    boost::system::error_code want;
  };
  const Case cases[] = {
      {"rsa", rsa_public(), ok()},
      {"ec p-256", ec_public(), ok()},
      {"okp ed25519", okp_public(), ok()},
      {"use enc is parsed (refused at use)", with(rsa_public(), "use", "enc"), ok()},
      // okta-compat.md §11.22: no private members in a registered public key.
      {"rsa d", with(rsa_public(), "d", "AQAB"), code(Errc::private_key_material)},
      {"rsa p", with(rsa_public(), "p", "AQAB"), code(Errc::private_key_material)},
      {"rsa q", with(rsa_public(), "q", "AQAB"), code(Errc::private_key_material)},
      {"rsa dp", with(rsa_public(), "dp", "AQAB"), code(Errc::private_key_material)},
      {"rsa dq", with(rsa_public(), "dq", "AQAB"), code(Errc::private_key_material)},
      {"rsa qi", with(rsa_public(), "qi", "AQAB"), code(Errc::private_key_material)},
      {"rsa oth", with(rsa_public(), "oth", json::array{}), code(Errc::private_key_material)},
      {"full rsa private key", rsa_private(), code(Errc::private_key_material)},
      {"ec d", ec_private(), code(Errc::private_key_material)},
      {"okp d", okp_private(), code(Errc::private_key_material)},
      {"oct k",
       {{"kty", "oct"}, {"k", "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ"}},
       code(Errc::private_key_material)},
      // RFC 7517 §4.1 kty.
      {"kty missing", without(rsa_public(), "kty"), code(Errc::missing_key_member)},
      {"kty not a string", with(rsa_public(), "kty", 1), code(Errc::bad_key)},
      {"kty lowercase", with(rsa_public(), "kty", "rsa"), code(Errc::unsupported_kty)},
      {"kty oct without k", {{"kty", "oct"}}, code(Errc::unsupported_kty)},
      // RFC 7518 §6.3.1, §3.3.
      {"rsa n missing", without(rsa_public(), "n"), code(Errc::missing_key_member)},
      {"rsa e missing", without(rsa_public(), "e"), code(Errc::missing_key_member)},
      {"rsa n not base64url", with(rsa_public(), "n", "0vx7+goe"), code(Errc::bad_key)},
      {"rsa n empty", with(rsa_public(), "n", ""), code(Errc::bad_key)},
      {"rsa n a number", with(rsa_public(), "n", 12345), code(Errc::bad_key)},
      {"rsa e = 1", with(rsa_public(), "e", "AQ"), code(Errc::bad_key)},
      {"rsa e even", with(rsa_public(), "e", "AQAA"), code(Errc::bad_key)},
      {"rsa 1024 bits", rsa_1024_public(), code(Errc::key_too_small)},
      // RFC 7518 §6.2.1.
      {"ec crv missing", without(ec_public(), "crv"), code(Errc::missing_key_member)},
      {"ec secp256k1", with(ec_public(), "crv", "secp256k1"), code(Errc::unsupported_crv)},
      {"ec crv Ed25519", with(ec_public(), "crv", "Ed25519"), code(Errc::unsupported_crv)},
      {"ec y missing", without(ec_public(), "y"), code(Errc::missing_key_member)},
      {"ec x short", with(ec_public(), "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVA"),
       code(Errc::bad_key)},
      {"ec point off the curve",
       with(ec_public(), "y", "y_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"), code(Errc::bad_key)},
      {"ec p-256 point on p-384", with(ec_public(), "crv", "P-384"), code(Errc::bad_key)},
      // RFC 8037 §2.
      {"okp X25519", with(okp_public(), "crv", "X25519"), code(Errc::unsupported_crv)},
      {"okp Ed448", with(okp_public(), "crv", "Ed448"), code(Errc::unsupported_crv)},
      {"okp x short", with(okp_public(), "x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUQ"),
       code(Errc::bad_key)},
      // RFC 7517 §4.4-§4.5 optional members.
      {"alg HS256", with(rsa_public(), "alg", "HS256"), code(Errc::alg_hmac)},
      {"alg none", with(rsa_public(), "alg", "none"), code(Errc::alg_none)},
      {"alg RSA-OAEP", with(rsa_public(), "alg", "RSA-OAEP"), code(Errc::unsupported_alg)},
      {"alg ES256 on rsa", with(rsa_public(), "alg", "ES256"), code(Errc::key_alg_mismatch)},
      {"alg ES384 on p-256", with(ec_public(), "alg", "ES384"), code(Errc::key_alg_mismatch)},
      {"alg not a string", with(rsa_public(), "alg", 256), code(Errc::bad_key)},
      {"kid not a string", with(rsa_public(), "kid", 1), code(Errc::bad_key)},
      {"use not a string", with(rsa_public(), "use", json::array{"sig"}), code(Errc::bad_key)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(code_of(Jwk::parse_public(c.jwk)), c.want);
  }
}

TEST(Jwk, ParsePrivateRefusals) {
  json::object ed_other_d = with(okp_private(), "d", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  struct Case {
    std::string_view name;
    json::object jwk;
    boost::system::error_code want;
  };
  const Case cases[] = {
      {"rsa with crt", rsa_private(), ok()},
      {"rsa d only",
       without(without(without(without(without(rsa_private(), "p"), "q"), "dp"), "dq"), "qi"),
       ok()},
      {"ec", ec_private(), ok()},
      {"okp", okp_private(), ok()},
      {"rsa without d", rsa_public(), code(Errc::not_private_key)},
      {"ec without d", ec_public(), code(Errc::not_private_key)},
      {"okp without d", okp_public(), code(Errc::not_private_key)},
      // RFC 7518 §6.3.2: the CRT members come all together.
      {"rsa crt without qi", without(rsa_private(), "qi"), code(Errc::missing_key_member)},
      {"rsa oth", with(rsa_private(), "oth", json::array{}), code(Errc::bad_key)},
      {"rsa p from another key", with(rsa_private(), "p", rsa_private().at("q")),
       code(Errc::bad_key)},
      {"ec d short", with(ec_private(), "d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9A"),
       code(Errc::bad_key)},
      {"ec d of another key", with(ec_private(), "d", okp_private().at("d")), code(Errc::bad_key)},
      {"okp d of another key", ed_other_d, code(Errc::bad_key)},
      {"oct", {{"kty", "oct"}, {"k", "AyM1"}}, code(Errc::unsupported_kty)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto key = Jwk::parse_private(c.jwk);
    EXPECT_EQ(code_of(key), c.want);
    if (key) {
      EXPECT_TRUE(key->is_private());
    }
  }
}

TEST(Jwk, CheckAlg) {
  auto rsa = Jwk::parse_public(rsa_public()).value();  // "alg":"RS256"
  auto enc = Jwk::parse_public(with(without(rsa_public(), "alg"), "use", "enc")).value();
  auto ec = Jwk::parse_public(ec_public()).value();
  struct Case {
    std::string_view name;
    const Jwk& key;
    Alg alg;
    boost::system::error_code want;
  };
  const Case cases[] = {
      {"rs256 key, rs256", rsa, Alg::RS256, ok()},
      {"rs256 key, rs384", rsa, Alg::RS384, code(Errc::key_alg_mismatch)},
      {"rs256 key, ps256", rsa, Alg::PS256, code(Errc::key_alg_mismatch)},
      {"enc key", enc, Alg::RS256, code(Errc::bad_key_use)},
      {"p-256, es256", ec, Alg::ES256, ok()},
      {"p-256, es512", ec, Alg::ES512, code(Errc::key_alg_mismatch)},
      {"p-256, eddsa", ec, Alg::EdDSA, code(Errc::key_alg_mismatch)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(code_of(c.key.check_alg(c.alg)), c.want);
  }
}

TEST(JwkSet, ParseAndLookupByKid) {
  json::array keys{with(ec_public(), "kid", "ec-1"), with(okp_public(), "kid", "ed-1"),
                   with(without(rsa_public(), "alg"), "kid", "rsa-1")};
  auto set = JwkSet::parse_public(json::object{{"keys", keys}});
  ASSERT_TRUE(set) << set.error().message();
  EXPECT_EQ(set->keys().size(), 3u);
  ASSERT_NE(set->find("ed-1"), nullptr);
  EXPECT_EQ(set->find("ed-1")->kty(), KeyType::okp);
  EXPECT_EQ(set->find("nope"), nullptr);
  EXPECT_EQ(code_of(set->get("nope")), code(Errc::kid_not_found));
  EXPECT_EQ(set->get("rsa-1").value()->kty(), KeyType::rsa);
  // Published form parses back to the same set.
  auto again = JwkSet::parse_public(json::serialize(set->to_public_json()));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->find("ec-1")->thumbprint(), set->find("ec-1")->thumbprint());
}

TEST(JwkSet, Refusals) {
  auto ec = with(ec_public(), "kid", "a");
  struct Case {
    std::string_view name;
    std::string json;
    boost::system::error_code want;
  };
  const Case cases[] = {
      {"empty set", R"({"keys":[]})", ok()},
      {"not json", R"({"keys":[)", code(Errc::bad_json)},
      {"not an object", R"([])", code(Errc::bad_jwks)},
      {"keys missing", R"({"key":[]})", code(Errc::bad_jwks)},
      {"keys not an array", R"({"keys":{}})", code(Errc::bad_jwks)},
      {"key not an object", R"({"keys":["a"]})", code(Errc::bad_jwks)},
      {"kid missing", json::serialize(json::object{{"keys", {without(ec, "kid")}}}),
       code(Errc::missing_kid)},
      {"kid duplicated",
       json::serialize(json::object{{"keys", {ec, with(okp_public(), "kid", "a")}}}),
       code(Errc::duplicate_kid)},
      {"private key in set",
       json::serialize(json::object{{"keys", {with(ec_private(), "kid", "b")}}}),
       code(Errc::private_key_material)},
      {"unknown kty is not skipped", R"({"keys":[{"kty":"oct","kid":"c"}]})",
       code(Errc::unsupported_kty)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(code_of(JwkSet::parse_public(c.json)), c.want);
  }
}

TEST(Jwk, CopiesShareTheKeyAndStayUsable) {
  auto original = Jwk::parse_private(okp_private()).value();
  Jwk copy = original;
  EXPECT_EQ(copy.pkey(), original.pkey());
  Jwk assigned = Jwk::parse_public(rsa_public()).value();
  assigned = copy;
  EXPECT_EQ(assigned.thumbprint(), original.thumbprint());
  EXPECT_TRUE(assigned.is_private());
}

// parse_public_memo: the same object gives the same (shared) key; another object its own key;
// a refused object stays refused every time.
TEST(Jwk, MemoisedParsingReusesOnlyTheSameObject) {
  auto a = parse_public_memo(rsa_public()).value();
  auto b = parse_public_memo(rsa_public()).value();
  EXPECT_EQ(a.pkey(), b.pkey());
  auto other = parse_public_memo(okp_public()).value();
  EXPECT_NE(other.pkey(), a.pkey());
  EXPECT_NE(other.thumbprint(), a.thumbprint());
  auto with_kid = rsa_public();
  with_kid["kid"] = "k2";
  auto c = parse_public_memo(with_kid).value();
  EXPECT_NE(c.pkey(), a.pkey());
  EXPECT_EQ(c.kid(), "k2");
  auto bad = with(rsa_public(), "d", "AQAB");
  for (int i = 0; i < 2; ++i) EXPECT_EQ(parse_public_memo(bad).error(), code(Errc::private_key_material));
}

}  // namespace
}  // namespace gh::jose
