// The state that several threads share in a running server (docs/architecture.md, "Threads"),
// hammered from several threads at once: the rate limiter's buckets, the replay cache, the System
// Log queue, the console's session store and an org's model while the writer applies changes.
// Each test checks an exact count, so a lost update fails it in any build; under ThreadSanitizer
// (scripts/sanitize.sh, build-tsan) an unsynchronised access fails it even when the counts hold.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/session/session_store.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/token_bucket.hpp"
#include "crypto/mac.hpp"
#include "domain/documents.hpp"
#include "model/org_model.hpp"
#include "oauth/client_auth/replay_cache.hpp"
#include "store/event_queue.hpp"

namespace gh {
namespace {

constexpr int kThreads = 4;

// Runs fn(i) on kThreads threads that start together.
template <class Fn>
void on_threads(Fn fn) {
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      fn(i);
    });
  }
  for (auto& t : threads) t.join();
}

// An org with one ACTIVE user, 00ua, as the concurrency tests start from.
store::OrgSnapshot one_user_org() {
  store::OrgSnapshot snap;
  snap.org = {"00o1", "", "Org", 1};
  domain::User owner;
  owner.id = "00ua";
  owner.status = domain::UserStatus::ACTIVE;
  owner.profile = {{"login", "a@x.io"}};
  snap.users = {owner};
  return snap;
}

TEST(SharedState, TokenBucketsGrantExactlyTheCapacityAcrossThreads) {
  core::TokenBuckets buckets(300, std::chrono::hours(1));
  std::atomic<int> allowed{0};
  on_threads([&](int) {
    for (int n = 0; n < 200; ++n) {
      if (buckets.take("client-1", 1'000'000).allowed) allowed.fetch_add(1);
      buckets.peek("client-1", 1'000'000);
      buckets.take("client-" + std::to_string(n % 7 + 2), 1'000'000);
    }
  });
  EXPECT_EQ(allowed.load(), 300);  // 800 tries at one instant: the capacity, no more, no less
  EXPECT_EQ(buckets.size(), 8u);
}

TEST(SharedState, ReplayCacheAcceptsEachKeyExactlyOnceAcrossThreads) {
  oauth::ReplayCache cache;
  std::atomic<int> fresh{0};
  on_threads([&](int) {
    for (int n = 0; n < 300; ++n) {
      // Every thread sends every key (and some already expired ones, pruned by later calls).
      if (cache.insert_unique("jti-" + std::to_string(n), 10'000, 1'000 + n)) fresh.fetch_add(1);
      cache.insert_unique("old-" + std::to_string(n), 1'000, 1'000 + n);
      cache.size();
    }
  });
  EXPECT_EQ(fresh.load(), 300);
}

domain::LogEvent event(int n) {
  domain::LogEvent e;
  e.uuid = "uuid-" + std::to_string(n);
  e.published = 1'000 + n;
  e.event_type = "app.oauth2.token.grant.access_token";
  e.display_message = "OAuth2 access token is granted";
  return e;
}

TEST(SharedState, EventQueueLosesNoEventPushedWhileTheWriterTakes) {
  store::EventQueue queue;
  std::atomic<bool> done{false};
  std::size_t taken = 0;
  std::thread writer([&] {  // the tick's flush, on the writer lane
    while (!done.load()) {
      taken += queue.take().size();
      std::this_thread::yield();
    }
    taken += queue.take().size();
  });
  on_threads([&](int i) {
    for (int n = 0; n < 250; ++n) {
      queue.push("00o" + std::to_string(i), event(i * 1000 + n));
      queue.size();
    }
  });
  done.store(true);
  writer.join();
  EXPECT_EQ(taken, std::size_t{kThreads * 250});
  EXPECT_EQ(queue.take_dropped(), 0u);
}

class NullRenderer final : public model::Renderer {
 public:
  std::string render_user(std::string_view, const domain::User& u) const override { return "{\"id\":\"" + u.id + "\"}"; }
  std::string render_group(std::string_view, const domain::Group&) const override { return "{}"; }
};

domain::ApiToken api_token(int n) {
  domain::ApiToken t;
  t.id = "00T" + std::to_string(1000 + n);
  t.user_id = "00ua";
  t.name = "token " + t.id;
  for (std::size_t i = 0; i < t.mac.size(); ++i) t.mac[i] = static_cast<std::uint8_t>(n * 31 + i * 7 + n / 256);
  t.hint = "gth_api_abcd";
  t.created = t.last_updated = t.last_used = 1'000;
  return t;
}

// Sessions are documents of their org (issue 18): I/O threads touch them under the org's mutex
// held shared (each node's idle clocks under the store's own mutex) while the writer commits new
// sessions and the tick's housekeeping reads them.
TEST(SharedState, SessionsTouchedByReadersWhileTheWriterStartsAndSweeps) {
  core::SystemClock clock;
  core::SecureRandom random;
  crypto::Pepper pepper(std::string(32, 'p'));
  api::session::SessionStore sessions(pepper, random, clock, {});
  NullRenderer renderer;
  model::OrgModel org(one_user_org(), "http://gh.test", renderer);
  constexpr int kSessions = 120;
  std::vector<std::string> ids(kSessions);
  std::vector<std::string> csrf(kSessions);
  std::atomic<int> started{0};
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int n = 0; n < kSessions; ++n) {
      auto s = sessions.start("00o1", "00ua");
      ids[n] = std::string(s.id.reveal());
      csrf[n] = s.session.csrf;
      {
        std::unique_lock lk(org.mutex());
        org.apply({s.record});
      }
      started.store(n + 1, std::memory_order_release);
      if (n % 10 == 0) {
        std::shared_lock lk(org.mutex());
        (void)sessions.housekeeping(org);  // nothing has expired: no change to commit
      }
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    done.store(true);
  });
  std::atomic<int> problems{0};
  std::atomic<int> touched{0};
  on_threads([&](int i) {
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::microseconds(20));  // a gap between requests
      int known = started.load(std::memory_order_acquire);
      if (known == 0) continue;
      int n = (i * 37 + touched.load()) % known;
      std::shared_lock lk(org.mutex());
      auto seen = sessions.touch(org, ids[n], n % 2 == 0);
      if (!seen || seen->csrf != csrf[n] || seen->user_id != "00ua") problems.fetch_add(1);
      if (sessions.touch(org, ids[n] + "x")) problems.fetch_add(1);  // an unknown id
      touched.fetch_add(1);
    }
  });
  writer.join();
  EXPECT_EQ(problems.load(), 0);
  EXPECT_GT(touched.load(), kThreads * 10);
  std::shared_lock lk(org.mutex());
  EXPECT_EQ(org.docs(domain::kind::console_session).size(), std::size_t{kSessions});
}

// model::commit_and_apply's contract: readers (I/O threads) hold the org's mutex shared, the one
// writer applies under it held exclusively; an API token's lastUsed is marked by readers without
// the write lock (an atomic).
TEST(SharedState, ModelReadersSeeWholeChangesWhileTheWriterApplies) {
  auto snap = one_user_org();
  const domain::User owner = snap.users.front();
  NullRenderer renderer;
  model::OrgModel org(std::move(snap), "http://gh.test", renderer);
  constexpr int kTokens = 200;
  std::atomic<bool> done{false};
  std::atomic<int> reading{0};
  std::thread writer([&] {
    while (reading.load() < kThreads) std::this_thread::yield();  // the readers are in their loop
    for (int n = 0; n < kTokens; ++n) {
      std::unique_lock lk(org.mutex());
      org.apply({store::PutApiToken{api_token(n)}});
      if (n % 10 == 0) org.apply({store::PutUser{owner}});  // drops the user's rendered JSON
      lk.unlock();
      std::this_thread::sleep_for(std::chrono::microseconds(20));  // the next request
    }
    done.store(true);
  });
  std::atomic<int> problems{0};
  std::atomic<int> reads{0};
  on_threads([&](int i) {
    reading.fetch_add(1);
    while (!done.load()) {
      reads.fetch_add(1);
      // Between two requests a reader holds no lock (the org's mutex prefers writers anyway:
      // core::SharedMutex; tests/unit/core/shared_mutex_test.cpp).
      std::this_thread::sleep_for(std::chrono::microseconds(20));
      std::shared_lock lk(org.mutex());
      std::size_t listed = 0;
      for (const auto& [id, e] : org.tokens()) {
        ++listed;
        if (org.token_by_mac(e.mac()) != &e) problems.fetch_add(1);  // a half-applied token
        e.last_used.store(2'000 + i);
      }
      if (listed != org.tokens().size()) problems.fetch_add(1);
      // Rendered on first read by whichever reader comes first (OrgModel::user_json).
      const auto* u = org.user(core::UserId{"00ua"});
      if (!u || org.user_json(*u) != R"({"id":"00ua"})") problems.fetch_add(1);
    }
  });
  writer.join();
  std::shared_lock lk(org.mutex());
  EXPECT_EQ(problems.load(), 0);
  EXPECT_GT(reads.load(), kThreads * 10);  // the readers did overlap the writer
  EXPECT_EQ(org.tokens().size(), std::size_t{kTokens});
}

}  // namespace
}  // namespace gh
