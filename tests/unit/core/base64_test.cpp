// Base64 and base64url (RFC 4648 §4, §5): every JWS segment, every Basic credential and every
// JWK member passes through these, so they are checked against the RFC's vectors and against a
// bit-by-bit reference over all byte values and lengths.
#include <gtest/gtest.h>

#include <string>

#include "core/base64.hpp"

namespace gh::core {
namespace {

// The reference: six bits at a time, straight from RFC 4648 §4.
std::string reference_encode(std::string_view in, std::string_view alpha, bool pad) {
  std::string out;
  std::size_t bit = 0, total = in.size() * 8;
  while (bit < total) {
    unsigned v = 0;
    for (int k = 0; k < 6; ++k, ++bit) {
      unsigned b = bit < total ? (static_cast<unsigned char>(in[bit / 8]) >> (7 - bit % 8)) & 1u : 0u;
      v = (v << 1) | b;
    }
    out += alpha[v];
  }
  while (pad && out.size() % 4) out += '=';
  return out;
}

constexpr std::string_view kStd = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

TEST(Base64, Rfc4648Section10Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (auto [plain, encoded] : vectors) {
    SCOPED_TRACE(std::string(plain));
    EXPECT_EQ(base64_encode(plain), encoded);
    auto back = base64_decode(encoded);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, plain);
    // base64url has no padding (RFC 7515 §2).
    std::string unpadded(encoded.substr(0, encoded.find('=')));
    EXPECT_EQ(base64url_encode(plain), unpadded);
    auto url_back = base64url_decode(unpadded);
    ASSERT_TRUE(url_back);
    EXPECT_EQ(*url_back, plain);
  }
}

TEST(Base64, MatchesTheReferenceForEveryByteAndLength) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(255 - i);
  for (std::size_t len = 0; len <= all.size(); ++len) {
    for (std::size_t off : {std::size_t{0}, (all.size() - len) / 2, all.size() - len}) {
      auto in = std::string_view(all).substr(off, len);
      SCOPED_TRACE(len);
      auto url = base64url_encode(in);
      ASSERT_EQ(url, reference_encode(in, kUrl, false));
      ASSERT_EQ(base64_encode(in), reference_encode(in, kStd, true));
      auto back = base64url_decode(url);
      ASSERT_TRUE(back);
      ASSERT_EQ(*back, in);
      auto std_back = base64_decode(base64_encode(in));
      ASSERT_TRUE(std_back);
      ASSERT_EQ(*std_back, in);
    }
  }
}

TEST(Base64, RefusesWhatIsNotBase64) {
  EXPECT_FALSE(base64url_decode("ab+c"));  // the standard alphabet's character in base64url
  EXPECT_FALSE(base64url_decode("ab/c"));
  EXPECT_FALSE(base64_decode("ab-c"));  // and the other way round
  EXPECT_FALSE(base64_decode("ab_c"));
  EXPECT_FALSE(base64url_decode("ab c"));
  EXPECT_FALSE(base64url_decode(std::string("ab\0c", 4)));
  EXPECT_FALSE(base64url_decode("\xc3\xa9"));
  EXPECT_FALSE(base64url_decode("abcde"));  // a length of 4n+1 encodes no whole byte
  // Non-canonical: the unused low bits of the last character must be zero (RFC 4648 §3.5).
  EXPECT_TRUE(base64url_decode("Zg"));
  EXPECT_FALSE(base64url_decode("Zh"));
  EXPECT_TRUE(base64url_decode("Zm8"));
  EXPECT_FALSE(base64url_decode("Zm9"));
}

TEST(Base64, HexEncodesLowercase) { EXPECT_EQ(hex_encode(std::string("\x00\x1f\xab\xff", 4)), "001fabff"); }

}  // namespace
}  // namespace gh::core
