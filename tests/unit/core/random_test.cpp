// core::random_base62: exactly n characters of the alphabet, bytes of 248 and above rejected (no
// modulo bias), whatever the random source hands out and however many draws it takes.
#include "core/random.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gh::core {
namespace {

// Hands out a script of bytes (cycled) and records the size of every draw.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::vector<std::uint8_t> script) : script_(std::move(script)) {}
  void fill(std::span<std::uint8_t> out) override {
    draws.push_back(out.size());
    for (auto& b : out) b = script_[next_++ % script_.size()];
  }
  std::vector<std::size_t> draws;

 private:
  std::vector<std::uint8_t> script_;
  std::size_t next_ = 0;
};

TEST(RandomBase62, LengthAndAlphabet) {
  SeededRandom r(11);
  for (std::size_t n : {0u, 1u, 16u, 17u, 20u, 43u, 64u, 65u, 200u}) {
    auto s = random_base62(r, n);
    ASSERT_EQ(s.size(), n);
    for (char c : s) EXPECT_NE(std::string_view(kBase62).find(c), std::string_view::npos) << c;
  }
}

TEST(RandomBase62, BytesFrom248AreRejectedAndOthersMapModulo62) {
  // 248..255 would make the first 8 characters likelier: skipped.
  ScriptedRandom r({255, 248, 0, 61, 62, 247, 250, 123});
  auto s = random_base62(r, 5);
  EXPECT_EQ(s, "0z0zz");  // 0, 61, 62 % 62, 247 % 62 = 61, 123 % 62 = 61
}

TEST(RandomBase62, MoreDrawsWhenMostBytesAreRejected) {
  // Only one byte in eight is usable: the string still comes out whole, over several draws.
  ScriptedRandom r({250, 251, 252, 253, 254, 255, 249, 10});
  auto s = random_base62(r, 20);
  EXPECT_EQ(s, std::string(20, 'A'));
  EXPECT_GT(r.draws.size(), 1u);
  for (auto d : r.draws) EXPECT_LE(d, 64u);
}

TEST(RandomBase62, ShortStringsDrawFewBytes) {
  ScriptedRandom r({1});
  EXPECT_EQ(random_base62(r, 20), std::string(20, '1'));
  ASSERT_EQ(r.draws.size(), 1u);
  EXPECT_LT(r.draws[0], 64u);  // a request id no longer draws a whole 64-byte buffer
  EXPECT_GE(r.draws[0], 20u);
}

TEST(RandomBase62, RoughlyUniform) {
  SeededRandom r(5);
  std::vector<int> count(62);
  auto s = random_base62(r, 62 * 2000);
  for (char c : s) ++count[std::string_view(kBase62).find(c)];
  for (int c : count) {
    EXPECT_GT(c, 1700);
    EXPECT_LT(c, 2300);
  }
}

}  // namespace
}  // namespace gh::core
