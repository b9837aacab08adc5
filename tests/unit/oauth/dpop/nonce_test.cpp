// Stateless rotating DPoP nonces (RFC 9449 §8; okta-compat.md §11.28).
#include <gtest/gtest.h>

#include "oauth/dpop/nonce.hpp"

namespace gh::oauth::dpop {
namespace {
using namespace std::chrono_literals;

constexpr std::int64_t kT = 1'900'000'000;  // a multiple of neither window below

TEST(DpopNonce, RotatesAndAcceptsTheCurrentAndPreviousWindow) {
  NonceSource n(std::string(32, 'k'), 3600s);
  const std::int64_t start = kT - kT % 3600;  // the first second of a window
  auto issued = n.current(start + 10);
  EXPECT_EQ(issued.size(), 43u);  // base64url of 32 bytes
  struct Case {
    std::string name;
    std::int64_t at;
    bool accepted;
  };
  const Case cases[] = {
      {"same second", start + 10, true},
      {"end of its window", start + 3599, true},
      {"next window", start + 3600, true},
      {"end of the next window", start + 7199, true},
      {"two windows later", start + 7200, false},
      {"a day later", start + 86400, false},
      {"the window before it was issued", start - 1, false},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(n.accepts(issued, c.at), c.accepted);
  }
  EXPECT_EQ(n.current(start + 3599), issued);
  EXPECT_NE(n.current(start + 3600), issued);  // rotated
}

TEST(DpopNonce, StaysValidAtLeastFiveMinutesWheneverIssued) {
  NonceSource n(std::string(32, 'k'), 300s);  // the shortest window allowed
  for (std::int64_t t = kT; t < kT + 600; t += 7) {
    SCOPED_TRACE(t);
    auto issued = n.current(t);
    EXPECT_TRUE(n.accepts(issued, t + 300));  // §11.28
  }
  NonceSource clamped(std::string(32, 'k'), 10s);  // below 5 minutes: clamped to 300 s
  EXPECT_EQ(clamped.window(), 300s);
}

TEST(DpopNonce, AnswersTheSameWhateverItWasAskedBefore) {
  // The nonces of the last window asked about are kept: going forward by one window, jumping,
  // or going back (a clock set back) must give what a fresh source gives.
  NonceSource kept(std::string(32, 'k'), 300s);
  const std::int64_t times[] = {kT, kT + 300, kT + 301, kT + 900, kT - 300, kT - 299, kT + 600, kT, kT + 300};
  for (auto t : times) {
    SCOPED_TRACE(t);
    NonceSource fresh(std::string(32, 'k'), 300s);
    EXPECT_EQ(kept.current(t), fresh.current(t));
    for (auto issued_at : {t - 600, t - 300, t, t + 300}) {
      NonceSource issuer(std::string(32, 'k'), 300s);
      EXPECT_EQ(kept.accepts(issuer.current(issued_at), t), fresh.accepts(issuer.current(issued_at), t));
    }
  }
}

TEST(DpopNonce, RefusesNoncesOfAnotherServerAndGarbage) {
  NonceSource ours(std::string(32, 'k'), 3600s);
  NonceSource theirs(std::string(32, 'x'), 3600s);  // another master key
  EXPECT_FALSE(ours.accepts(theirs.current(kT), kT));
  EXPECT_FALSE(ours.accepts("", kT));
  EXPECT_FALSE(ours.accepts("not-a-nonce", kT));
  auto good = ours.current(kT);
  auto tampered = good;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(ours.accepts(tampered, kT));
  EXPECT_FALSE(ours.accepts(good + "x", kT));
  EXPECT_FALSE(ours.accepts(good.substr(1), kT));
  EXPECT_TRUE(ours.accepts(good, kT));
}

}  // namespace
}  // namespace gh::oauth::dpop
