// Throttling of failed client authentication (okta-compat.md §11.30): 150 failures per client
// or 250 per source address within a minute, then 429 instead of 401; a correct authentication
// is never refused, from any address.
#include "oauth/client_auth/failure_throttle.hpp"
#include "oauth_fixture.hpp"

namespace gh::oauth::testing {
namespace {

TEST(FailureThrottle, CountsPerClientAndPerAddress) {
  FailureThrottle t(Limits{600, 3, 5});
  constexpr std::int64_t now = 1'900'000'000'000;
  // Three failures of one client from three addresses: the fourth is throttled, from anywhere.
  EXPECT_TRUE(t.record_failure("org", "c1", "10.0.0.1", now).allowed);
  EXPECT_TRUE(t.record_failure("org", "c1", "10.0.0.2", now).allowed);
  EXPECT_TRUE(t.record_failure("org", "c1", "10.0.0.3", now).allowed);
  auto d = t.record_failure("org", "c1", "10.0.0.4", now);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.limit, 3u);
  EXPECT_GT(d.reset_epoch_s, now / 1000);
  // Another client, or the same id in another org, is unaffected.
  EXPECT_TRUE(t.record_failure("org", "c2", "10.0.0.9", now).allowed);
  EXPECT_TRUE(t.record_failure("org2", "c1", "10.0.0.9", now).allowed);
  // One address failing for many clients: the sixth failure is throttled by address.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(t.record_failure("org", "x" + std::to_string(i), "10.9.9.9", now).allowed);
  auto by_address = t.record_failure("org", "other", "10.9.9.9", now);
  EXPECT_FALSE(by_address.allowed);
  EXPECT_EQ(by_address.limit, 5u);
  // A minute later every bucket has refilled.
  EXPECT_TRUE(t.record_failure("org", "c1", "10.9.9.9", now + 60'000).allowed);
}

TEST(FailureThrottle, AddressKeys) {
  EXPECT_EQ(address_key("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(address_key("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(address_key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(address_key("2001:db8:1:2:ffff::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(address_key("fe80::1%eth0"), "fe80::/64");
  EXPECT_EQ(address_key("not-an-ip"), "not-an-ip");
}

// Through the token endpoint: failures past the limits get 429 with rate headers; the client's
// correct credentials still work, from the attacked address and from another one.
class ThrottledEndpointTest : public OAuthFixture {
 protected:
  ThrottledEndpointTest() {
    endpoints_ = make_endpoints(Limits{600, 3, 5});
    add_auth_server("default", json::array{"api://default"}, {"widgets.read"});
    auto pid = add_policy("default", 1, json::array{"ALL_CLIENTS"});
    add_rule(pid, 1, json::array{"client_credentials"}, json::array{"*"});
  }
  Call token_from(const std::string& address, const std::string& authorization) {
    http::Request req;
    req.method = http::Method::post;
    req.path = "/oauth2/default/v1/token";
    body_ = "grant_type=client_credentials&scope=widgets.read";
    auth_ = authorization;
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    req.headers.emplace_back("Authorization", auth_);
    req.body = body_;
    req.remote_addr = address;
    return finish(endpoints_->handle(req, *org_, req.path));
  }
};

TEST_F(ThrottledEndpointTest, FailuresAreThrottledButCorrectCredentialsAreNever) {
  auto victim = add_app("client_secret_basic");
  auto secret = add_secret(victim);
  auto other_secret = add_secret(add_app("client_secret_basic"));
  const std::string attacker = "203.0.113.7", legit = "198.51.100.2";
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    auto r = token_from(attacker, basic(victim, other_secret));
    EXPECT_EQ(r.res.status, 401);
    EXPECT_EQ(r.error(), "invalid_client");
  }
  auto throttled = token_from(attacker, basic(victim, other_secret));
  EXPECT_EQ(throttled.res.status, 429);
  EXPECT_EQ(throttled.error(), "too_many_requests");
  EXPECT_EQ(throttled.header("X-Rate-Limit-Limit"), "3");
  EXPECT_EQ(throttled.header("X-Rate-Limit-Remaining"), "0");
  EXPECT_FALSE(throttled.header("X-Rate-Limit-Reset").empty());
  EXPECT_EQ(throttled.header("Cache-Control"), "no-store");
  // The legitimate client is not locked out: from its own address and from the attacker's.
  EXPECT_EQ(token_from(legit, basic(victim, secret)).res.status, 200);
  EXPECT_EQ(token_from(attacker, basic(victim, secret)).res.status, 200);
  // A wrong secret for the victim is throttled from any address now (per client).
  EXPECT_EQ(token_from(legit, basic(victim, other_secret)).res.status, 429);
  // The attacker's address, failing for made-up clients too, reaches its own limit (5 failures).
  EXPECT_EQ(token_from(attacker, basic("0oanobody", other_secret)).res.status, 401);
  auto r = token_from(attacker, basic("0oanobody", other_secret));
  EXPECT_EQ(r.res.status, 429);
  EXPECT_EQ(r.header("X-Rate-Limit-Limit"), "5");
  // A minute later the client's failures are forgotten.
  clock_.advance(std::chrono::minutes(1));
  EXPECT_EQ(token_from(legit, basic(victim, other_secret)).res.status, 401);
}

}  // namespace
}  // namespace gh::oauth::testing
