// The jwks_uri key cache (oauth/client_auth/jwks_cache.hpp; issue #3 "jwks_uri"): TTL from
// Cache-Control clamped to [5 min, 24 h], unknown-kid refresh at most once a minute, failures
// as values, single flight. A fake clock and a fake fetcher; no network.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "core/errc.hpp"
#include "core/time_format.hpp"
#include "jose/keys.hpp"
#include "net/errc.hpp"
#include "oauth/client_auth/jwks_cache.hpp"

namespace gh::oauth {
namespace {
using namespace std::chrono_literals;
using S = JwksLookup::Status;

// Public keys, as JwkSet::parse_public yields them from a fetched document.
jose::Jwk public_of(const jose::Jwk& k) { return jose::Jwk::parse_public(k.to_public_json()).value(); }

jose::Jwk ec_key(std::string kid) {
  return public_of(
      jose::Jwk::from_pkey(jose::generate_ec(jose::Curve::p256).value(), std::move(kid), jose::Alg::ES256).value());
}

jose::JwkSet set_of(std::vector<std::string> kids) {
  std::vector<jose::Jwk> keys;
  for (auto& k : kids) keys.push_back(ec_key(k));
  return jose::JwkSet::from_keys(std::move(keys)).value();
}

// Answers fetches from a queue of scripted outcomes; counts them. Optionally holds every fetch
// until release() (for the single-flight test).
class FakeFetcher final : public JwksFetcher {
 public:
  void will_return(gh::Result<FetchedJwks> r) {
    std::lock_guard lk(mu_);
    script_.push_back(std::move(r));
  }
  void hold() { held_ = true; }
  void release() {
    std::lock_guard lk(mu_);
    held_ = false;
    cv_.notify_all();
  }
  bool wait_until_fetching(int n) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, 10s, [&] { return started_ >= n; });
  }
  int calls() const { return calls_; }
  std::vector<std::string> urls() const {
    std::lock_guard lk(mu_);
    return urls_;
  }

  gh::Result<FetchedJwks> fetch(std::string_view url) override {
    std::unique_lock lk(mu_);
    ++calls_;
    ++started_;
    urls_.emplace_back(url);
    cv_.notify_all();
    cv_.wait(lk, [&] { return !held_; });
    if (script_.empty()) return boost::system::error_code(net::Errc::connect_failed);
    auto r = std::move(script_.front());
    script_.pop_front();
    return r;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<gh::Result<FetchedJwks>> script_;
  std::vector<std::string> urls_;
  std::atomic<int> calls_{0};
  int started_ = 0;
  bool held_ = false;
};

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheTest() : clock_(*core::parse_iso8601("2030-01-01T00:00:00Z")), cache_(fetcher_, clock_) {}

  FetchedJwks ok(std::vector<std::string> kids, std::optional<std::chrono::seconds> max_age = std::nullopt) {
    return FetchedJwks{set_of(std::move(kids)), max_age};
  }
  // lookup, and refresh + lookup when the cache asks for it (what the server's two passes do).
  JwksLookup resolve(std::string_view kid, const JwksCacheKey& key) {
    auto r = cache_.lookup(key, kid);
    if (r.status != S::fetch_needed) return r;
    cache_.refresh(key, kid);
    return cache_.lookup(key, kid);
  }
  JwksLookup resolve(std::string_view kid) { return resolve(kid, key_); }

  core::FakeClock clock_;
  FakeFetcher fetcher_;
  JwksCache cache_;
  JwksCacheKey key_{"00o1", "0oaApp", "https://keys.example.com/jwks"};
};

TEST_F(JwksCacheTest, FirstUseFetchesThenServesFromMemory) {
  fetcher_.will_return(ok({"k1", "k2"}));
  EXPECT_EQ(cache_.lookup(key_, "k1").status, S::fetch_needed);
  EXPECT_EQ(fetcher_.calls(), 0);  // lookup never fetches
  auto r = resolve("k1");
  ASSERT_EQ(r.status, S::found);
  EXPECT_EQ(r.key->kid(), "k1");
  EXPECT_EQ(fetcher_.urls(), std::vector<std::string>{"https://keys.example.com/jwks"});
  EXPECT_EQ(resolve("k2").status, S::found);
  clock_.advance(59min);
  EXPECT_EQ(resolve("k1").status, S::found);
  EXPECT_EQ(fetcher_.calls(), 1);
}

TEST_F(JwksCacheTest, TtlIsMaxAgeClampedToFiveMinutesAndOneDayDefaultOneHour) {
  struct Case {
    const char* name;
    std::optional<std::chrono::seconds> max_age;
    std::chrono::seconds ttl;
  };
  const Case cases[] = {
      {"no max-age: 1 h", std::nullopt, 3600s},
      {"max-age 10 min", 600s, 600s},
      {"max-age 0 (no-store): 5 min", 0s, 300s},
      {"max-age 1 min: 5 min", 60s, 300s},
      {"max-age 1 week: 24 h", 604800s, 86400s},
  };
  int n = 0;
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    JwksCacheKey key{"00o1", "0oa" + std::to_string(n++), "https://keys.example.com/jwks"};
    fetcher_.will_return(ok({"k1"}, c.max_age));
    int before = fetcher_.calls();
    ASSERT_EQ(resolve("k1", key).status, S::found);
    clock_.advance(c.ttl - 1s);
    EXPECT_EQ(cache_.lookup(key, "k1").status, S::found) << "still fresh 1 s before the TTL";
    clock_.advance(1s);
    EXPECT_EQ(cache_.lookup(key, "k1").status, S::fetch_needed) << "expired at the TTL";
    fetcher_.will_return(ok({"k1"}, c.max_age));
    EXPECT_EQ(resolve("k1", key).status, S::found);
    EXPECT_EQ(fetcher_.calls(), before + 2);
  }
}

TEST_F(JwksCacheTest, UnknownKidRefreshesAtMostOnceAMinute) {
  fetcher_.will_return(ok({"k1"}));
  ASSERT_EQ(resolve("k1").status, S::found);
  clock_.advance(61s);
  // A new kid: one refresh brings it (key rotation at the client).
  fetcher_.will_return(ok({"k1", "k2"}));
  EXPECT_EQ(resolve("k2").status, S::found);
  EXPECT_EQ(fetcher_.calls(), 2);
  // An unknown kid right after a fetch: no fetch, however often it is asked.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(resolve("nope-" + std::to_string(i)).status, S::kid_not_found);
    clock_.advance(2s);
  }
  EXPECT_EQ(fetcher_.calls(), 2);
  // A minute after the last fetch: one more.
  clock_.advance(21s);
  fetcher_.will_return(ok({"k1", "k2"}));
  EXPECT_EQ(resolve("nope").status, S::kid_not_found);
  EXPECT_EQ(fetcher_.calls(), 3);
  EXPECT_EQ(resolve("nope-again").status, S::kid_not_found);
  EXPECT_EQ(fetcher_.calls(), 3);
  // Known keys are still served meanwhile.
  EXPECT_EQ(resolve("k1").status, S::found);
}

TEST_F(JwksCacheTest, FailuresAreValuesRetriedAtMostOnceAMinute) {
  fetcher_.will_return(boost::system::error_code(net::Errc::address_refused));
  auto r = resolve("k1");
  EXPECT_EQ(r.status, S::unavailable);
  EXPECT_EQ(r.cause, net::Errc::address_refused);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(resolve("k1").status, S::unavailable);
  EXPECT_EQ(fetcher_.calls(), 1);
  clock_.advance(60s);
  fetcher_.will_return(ok({"k1"}));
  EXPECT_EQ(resolve("k1").status, S::found);
  EXPECT_EQ(fetcher_.calls(), 2);
}

TEST_F(JwksCacheTest, AFailedRefreshKeepsTheLastGoodSetForAnHour) {
  fetcher_.will_return(ok({"k1"}));  // TTL 1 h
  ASSERT_EQ(resolve("k1").status, S::found);
  clock_.advance(1h);
  fetcher_.will_return(boost::system::error_code(net::Errc::timeout));
  EXPECT_EQ(resolve("k1").status, S::found) << "stale but usable while the URL fails";
  EXPECT_EQ(fetcher_.calls(), 2);
  clock_.advance(59min);  // retries once a minute meanwhile; all fail (nothing scripted)
  EXPECT_EQ(resolve("k1").status, S::found);
  EXPECT_EQ(fetcher_.calls(), 3);
  clock_.advance(1min + 1s);  // 2 h after the fetch: past expiry + stale_if_error
  auto r = resolve("k1");
  EXPECT_EQ(r.status, S::kid_not_found);
  EXPECT_EQ(r.cause, net::Errc::connect_failed);
}

TEST_F(JwksCacheTest, KeysUnfitForClientAssertionsAreNotFound) {
  auto enc = public_of(jose::Jwk::from_pkey(jose::generate_ec().value(), "enc", std::nullopt, "enc").value());
  auto okp = public_of(jose::Jwk::from_pkey(jose::generate_ed25519().value(), "okp", jose::Alg::EdDSA).value());
  fetcher_.will_return(FetchedJwks{jose::JwkSet::from_keys({ec_key("sig"), enc, okp}).value(), std::nullopt});
  EXPECT_EQ(resolve("sig").status, S::found);
  EXPECT_EQ(resolve("enc").status, S::kid_not_found);  // RFC 7517 §4.2 use=enc
  EXPECT_EQ(resolve("okp").status, S::kid_not_found);  // okta-compat.md §11.22: RSA and EC only
}

TEST_F(JwksCacheTest, EntriesAreKeyedByOrgAppAndUrl) {
  fetcher_.will_return(ok({"k1"}));
  fetcher_.will_return(ok({"k2"}));
  fetcher_.will_return(ok({"k3"}));
  fetcher_.will_return(ok({"k4"}));
  ASSERT_EQ(resolve("k1").status, S::found);
  JwksCacheKey other_app{"00o1", "0oaOther", key_.url};
  JwksCacheKey other_org{"00o2", key_.client_id, key_.url};
  JwksCacheKey other_url{"00o1", key_.client_id, "https://keys.example.com/jwks2"};
  EXPECT_EQ(resolve("k2", other_app).status, S::found);
  EXPECT_EQ(resolve("k3", other_org).status, S::found);
  EXPECT_EQ(resolve("k4", other_url).status, S::found);
  EXPECT_EQ(fetcher_.calls(), 4);
  EXPECT_EQ(cache_.size(), 4u);
  // A key of one app never authenticates another.
  EXPECT_EQ(cache_.lookup(key_, "k2").status, S::kid_not_found);
}

TEST_F(JwksCacheTest, ConcurrentRefreshesShareOneFetch) {
  fetcher_.will_return(ok({"k1"}));
  ASSERT_EQ(resolve("k1").status, S::found);
  clock_.advance(2min);  // a refresh is due: every caller below would fetch on its own
  fetcher_.hold();
  fetcher_.will_return(ok({"k1", "k9"}));
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  threads.emplace_back([&] {
    cache_.refresh(key_, "k9");
    found += cache_.lookup(key_, "k9").status == S::found;
  });
  ASSERT_TRUE(fetcher_.wait_until_fetching(2));  // the first fetch above, and this one
  constexpr int kWaiters = 7;
  for (int i = 0; i < kWaiters; ++i)
    threads.emplace_back([&] {
      EXPECT_EQ(cache_.lookup(key_, "k9").status, S::fetch_needed);  // in flight: join it
      cache_.refresh(key_, "k9");
      found += cache_.lookup(key_, "k9").status == S::found;
    });
  while (cache_.waiting(key_) < kWaiters) std::this_thread::yield();
  fetcher_.release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(fetcher_.calls(), 2);
  EXPECT_EQ(found.load(), kWaiters + 1);
}

TEST_F(JwksCacheTest, AFullCacheDropsTheLeastRecentlyUsedEntry) {
  JwksCache small(fetcher_, clock_, JwksCacheOptions{.max_entries = 2});
  auto key = [](int i) { return JwksCacheKey{"00o1", "0oa" + std::to_string(i), "https://k.example/jwks"}; };
  for (int i = 0; i < 3; ++i) {
    fetcher_.will_return(ok({"k"}));
    small.refresh(key(i), "k");
    clock_.advance(1s);
    if (i == 1) EXPECT_EQ(small.lookup(key(0), "k").status, S::found);  // 0 used after 1
  }
  EXPECT_EQ(small.size(), 2u);
  EXPECT_EQ(small.lookup(key(0), "k").status, S::found);
  EXPECT_EQ(small.lookup(key(1), "k").status, S::fetch_needed);  // dropped
  EXPECT_EQ(small.lookup(key(2), "k").status, S::found);
}

}  // namespace
}  // namespace gh::oauth
