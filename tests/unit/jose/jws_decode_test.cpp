// Structural decoding of compact JWSs (RFC 7515 §5.2, §7.1): every malformed input is a value.
#include <gtest/gtest.h>

#include "jose/jws.hpp"
#include "jose_test_util.hpp"

namespace gh::jose {
namespace {

using testing::b64;
using testing::code;
using testing::code_of;
using testing::ok;

const std::string kHeader = b64(R"({"alg":"RS256"})");
const std::string kPayload = b64(R"({"sub":"x"})");

TEST(JwsDecode, MalformedCompactSerializationsAreRefused) {
  struct Case {
    std::string_view name;
    std::string compact;
    boost::system::error_code want;
  };
  const Case cases[] = {
      {"well formed", kHeader + "." + kPayload + ".c2ln", ok()},
      {"empty payload (RFC 7515 §5.1)", kHeader + "..c2ln", ok()},
      {"empty signature", kHeader + "." + kPayload + ".", ok()},
      {"empty string", "", code(Errc::malformed_jws)},
      {"no dots", kHeader, code(Errc::malformed_jws)},
      {"one dot", kHeader + "." + kPayload, code(Errc::malformed_jws)},
      {"four parts", kHeader + "." + kPayload + ".c2ln.c2ln", code(Errc::malformed_jws)},
      {"five parts (a JWE)", kHeader + ".a.b.c.d", code(Errc::malformed_jws)},
      {"only dots", "..", code(Errc::malformed_jws)},
      {"empty header", "." + kPayload + ".c2ln", code(Errc::malformed_jws)},
      {"header not base64url", "eyJ!bGciOiJSUzI1NiJ9." + kPayload + ".c2ln",
       code(Errc::bad_base64)},
      {"header standard base64",
       b64(R"({"alg":"RS256","x":"??>"})").replace(30, 1, "+") + "." + kPayload + ".c2ln",
       code(Errc::bad_base64)},
      {"header padded", kHeader + "=." + kPayload + ".c2ln", code(Errc::bad_base64)},
      {"header with whitespace", "eyJhbGci OiJSUzI1NiJ9." + kPayload + ".c2ln",
       code(Errc::bad_base64)},
      {"payload not base64url", kHeader + ".a$b.c2ln", code(Errc::bad_base64)},
      {"signature not base64url", kHeader + "." + kPayload + ".c2l/", code(Errc::bad_base64)},
      {"signature impossible length", kHeader + "." + kPayload + ".c2lu1", code(Errc::bad_base64)},
      {"header not json", b64("not json") + "." + kPayload + ".c2ln", code(Errc::bad_json)},
      {"header truncated json", b64(R"({"alg":"RS256")") + "." + kPayload + ".c2ln",
       code(Errc::bad_json)},
      {"header trailing comma", b64(R"({"alg":"RS256",})") + "." + kPayload + ".c2ln",
       code(Errc::bad_json)},
      {"header invalid utf-8", b64("{\"alg\":\"\xff\"}") + "." + kPayload + ".c2ln",
       code(Errc::bad_json)},
      {"header too deep", b64(std::string(64, '[') + std::string(64, ']')) + "." + kPayload + ".",
       code(Errc::bad_json)},
      {"header is an array", b64(R"(["alg","RS256"])") + "." + kPayload + ".c2ln",
       code(Errc::header_not_object)},
      {"header is a string", b64(R"("RS256")") + "." + kPayload + ".c2ln",
       code(Errc::header_not_object)},
      {"header is null", b64("null") + "." + kPayload + ".c2ln", code(Errc::header_not_object)},
      {"too large", kHeader + "." + std::string(kMaxCompactSize, 'A') + ".c2ln",
       code(Errc::jws_too_large)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(code_of(decode(c.compact)), c.want);
  }
}

TEST(JwsDecode, ExposesHeaderPayloadSignatureAndSigningInput) {
  auto jws = decode(kHeader + "." + kPayload + ".c2ln");
  ASSERT_TRUE(jws);
  EXPECT_EQ(jws->header.at("alg").as_string(), "RS256");
  EXPECT_EQ(jws->payload, R"({"sub":"x"})");
  EXPECT_EQ(jws->signature, "sig");
  EXPECT_EQ(jws->signing_input, kHeader + "." + kPayload);  // RFC 7515 §5.2 step 8
}

TEST(JwsDecode, DuplicateHeaderMembersKeepTheLastValue) {
  // RFC 7515 §5.2 step 4 allows a parser that returns the lexically last duplicate; the
  // algorithm is fixed by the caller in any case.
  auto jws = decode(b64(R"({"alg":"RS256","alg":"none"})") + "." + kPayload + ".");
  ASSERT_TRUE(jws);
  EXPECT_EQ(jws->header.at("alg").as_string(), "none");
  EXPECT_EQ(code_of(verify_signature(*jws, testing::private_key_for(Alg::RS256), Alg::RS256)),
            code(Errc::alg_none));
}

TEST(JwsDecode, ErrorCodesHaveTheJoseCategoryAndMessages) {
  boost::system::error_code ec = Errc::kid_not_found;
  EXPECT_STREQ(ec.category().name(), "gh.jose");
  EXPECT_EQ(ec.message(), "no key with this kid");
  EXPECT_TRUE(ec == Errc::kid_not_found);
  EXPECT_FALSE(ec == Errc::bad_signature);
  for (int v = static_cast<int>(Errc::malformed_jws); v <= static_cast<int>(Errc::crypto_failed);
       ++v) {
    SCOPED_TRACE(v);
    EXPECT_NE(make_error_code(static_cast<Errc>(v)).message(), "unknown");
  }
}

}  // namespace
}  // namespace gh::jose
