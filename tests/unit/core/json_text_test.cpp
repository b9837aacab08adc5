// append_json_string (RFC 8259 §7): the bytes boost::json's serializer writes for the same
// string, whatever the string's length and wherever the bytes needing an escape fall in it.
#include "core/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <random>
#include <string>

namespace gh::core {
namespace {

std::string encoded(std::string_view s) {
  std::string out = "x";  // appends: what is already there stays
  append_json_string(out, s);
  return out.substr(1);
}
std::string boost_encoded(std::string_view s) { return boost::json::serialize(boost::json::string(s)); }

TEST(JsonText, EscapesQuoteBackslashAndControlsOnly) {
  EXPECT_EQ(encoded(""), "\"\"");
  EXPECT_EQ(encoded("a\"b\\c/d"), R"("a\"b\\c/d")");
  EXPECT_EQ(encoded(std::string("\b\f\n\r\t\x01\x1f\x7f", 8)), R"("\b\f\n\r\t\u0001\u001f)" "\x7f\"");
  EXPECT_EQ(encoded(std::string("\0z", 2)), R"("\u0000z")");
  EXPECT_EQ(encoded("h\xc3\xa9llo"), "\"h\xc3\xa9llo\"");  // UTF-8 is copied as it is
}

// Every byte value at every offset and in every length up to 40 (the 16- and 8-byte blocks, the
// overlapping last block, strings shorter than a word), against
// boost::json's serializer (ASCII) and a byte-wise reference (all bytes).
TEST(JsonText, EveryByteAtEveryOffsetMatchesTheReference) {
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c < 0x20) {
        static const char* named[] = {nullptr, "\\b", "\\t", "\\n", nullptr, "\\f", "\\r"};
        const char* n = c >= 8 && c <= 13 ? named[c - 7] : nullptr;
        if (c == 11) n = nullptr;
        if (n) out += n;
        else out += "\\u00", out += "0123456789abcdef"[c >> 4], out += "0123456789abcdef"[c & 15];
      } else out += static_cast<char>(c);
    }
    return out + "\"";
  };
  for (std::size_t len = 1; len <= 40; ++len)
    for (std::size_t at = 0; at < len; ++at)
      for (int b = 0; b < 256; ++b) {
        std::string s(len, 'a');
        s[at] = static_cast<char>(b);
        ASSERT_EQ(encoded(s), reference(s)) << "len " << len << " at " << at << " byte " << b;
        if (b < 0x80) ASSERT_EQ(encoded(s), boost_encoded(s)) << "len " << len << " at " << at << " byte " << b;
      }
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 64, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 4 == 0 ? rng() % 0x24 + 0x1e : rng() % 0x5f + 0x20);
    ASSERT_EQ(encoded(s), boost_encoded(s)) << s;
    for (auto& c : s) c = static_cast<char>(rng() % 3 == 0 ? rng() % 256 : rng() % 2 ? 0x80 + rng() % 0x80 : 0x20);
    ASSERT_EQ(encoded(s), reference(s));
  }
}

}  // namespace
}  // namespace gh::core
