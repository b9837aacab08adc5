// Polling the System Log while several nodes write to one PostgreSQL (issue 18): a poller that
// follows its cursor (EventOrder::persisted_asc, the `after` of okta-compat.md §2's polling
// exception) sees every event exactly once, even when an event's transaction commits after a
// later-numbered one (store/postgres/event_log.hpp). Each store is a node's: its own connection.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <atomic>
#include <chrono>
#include <limits>
#include <set>
#include <thread>

#include "store/errc.hpp"
#include "store/postgres/conn.hpp"
#include "store/postgres/event_log.hpp"
#include "store/postgres/pg_store.hpp"
#include "testing/pg_cluster.hpp"

namespace gh::store {
namespace {
using namespace std::chrono_literals;

domain::LogEvent event(std::string uuid) {
  domain::LogEvent e;
  e.uuid = std::move(uuid);
  e.published = 1'000;
  e.event_type = "user.lifecycle.create";
  e.actor = domain::system_actor();
  return e;
}

domain::User user(std::string login) {
  domain::User u;
  u.id = "00u1";
  u.status = domain::UserStatus::ACTIVE;
  u.profile = {{"login", login}, {"email", login}, {"firstName", "A"}, {"lastName", "B"}};
  return u;
}

// A client of GET /api/v1/logs?sortOrder=ASCENDING: each poll continues after the last event it
// was given.
class Poller {
 public:
  explicit Poller(Store& s) : s_(s) {}
  // One poll: the uuids it returned, in order; fails the test on a store error.
  std::vector<std::string> poll() {
    EventQuery q;
    q.order = EventOrder::persisted_asc;
    q.since = 0, q.until = std::numeric_limits<domain::Millis>::max(), q.limit = 50;
    q.has_after = has_after_, q.after_seq = after_;
    auto rows = s_.query_events(core::OrgId{"00o1"}, q);
    EXPECT_TRUE(rows) << rows.error().message();
    std::vector<std::string> out;
    if (!rows) return out;
    for (auto& r : *rows) {
      EXPECT_GT(r.seq, after_);
      out.emplace_back(boost::json::parse(r.json).at("uuid").as_string());
      after_ = r.seq, has_after_ = true;
    }
    return out;
  }

 private:
  Store& s_;
  bool has_after_ = false;
  std::int64_t after_ = 0;
};

class PgEventPolling : public ::testing::Test {
 protected:
  // How many of this database's sessions wait for a lock (a row lock or the events lock).
  int waiting_sessions() {
    pg::ResultPtr r;
    auto e = testing::PgDatabase::admin().run(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
        pg::Params().text(db_.name()), &r);
    return e == Errc::ok ? static_cast<int>(pg::Row(r.get(), 0).i64(0)) : -1;
  }
  void wait_until_waiting(int n) {
    for (int i = 0; i < 500 && waiting_sessions() != n; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(waiting_sessions(), n);
  }

  testing::PgDatabase db_;
};

TEST_F(PgEventPolling, AnEventCommittedAfterALaterOneIsNotSkipped) {
  auto a = open_postgres_store(db_.url());  // node A
  auto b = open_postgres_store(db_.url());  // node B
  auto c = open_postgres_store(db_.url());  // the node the client polls
  ASSERT_TRUE(a->create_org({"00o1", "", "First", 1}, {PutUser{user("a@x.io")}}));
  Poller poller(*c);
  EXPECT_TRUE(poller.poll().empty());

  // Another session holds the user's row: A's change set inserts its event (drawing its seq),
  // then waits on that row with its transaction open.
  pg::Conn holder(db_.url());
  ASSERT_EQ(holder.exec("BEGIN"), Errc::ok);
  ASSERT_EQ(holder.exec("SELECT 1 FROM users WHERE id = '00u1' FOR UPDATE"), Errc::ok);
  std::thread slow([&] { EXPECT_TRUE(a->commit(core::OrgId{"00o1"}, {AppendEvent{event("first")}, PutUser{user("b@x.io")}})); });
  wait_until_waiting(1);
  // B's flush is not held up by A's open transaction (writers share the lock) and commits a
  // larger seq first.
  EventBatch later;
  later.add("00o1", event("second"));
  ASSERT_TRUE(b->append_events(later));
  // A poll now must not return "second" (its cursor would pass "first" for good): it waits for A
  // for a while, then gives nothing.
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(poller.poll().empty());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 900ms);

  ASSERT_EQ(holder.exec("ROLLBACK"), Errc::ok);
  slow.join();
  EXPECT_EQ(poller.poll(), (std::vector<std::string>{"first", "second"}));
  EXPECT_TRUE(poller.poll().empty());
}

TEST_F(PgEventPolling, APollWaitsForTheInsertsInFlightOnly) {
  auto a = open_postgres_store(db_.url());
  auto c = open_postgres_store(db_.url());
  ASSERT_TRUE(a->create_org({"00o1", "", "First", 1}, {PutUser{user("a@x.io")}}));
  pg::Conn holder(db_.url());
  ASSERT_EQ(holder.exec("BEGIN"), Errc::ok);
  ASSERT_EQ(holder.exec("SELECT 1 FROM users WHERE id = '00u1' FOR UPDATE"), Errc::ok);
  std::thread slow([&] { EXPECT_TRUE(a->commit(core::OrgId{"00o1"}, {AppendEvent{event("first")}, PutUser{user("b@x.io")}})); });
  wait_until_waiting(1);
  // The poll queues for the events lock behind A; A's row is released while it waits: the poll
  // then returns A's event rather than timing out empty.
  std::thread release([&] {
    wait_until_waiting(2);
    EXPECT_EQ(holder.exec("ROLLBACK"), Errc::ok);
  });
  Poller poller(*c);
  EXPECT_EQ(poller.poll(), std::vector<std::string>{"first"});
  release.join();
  slow.join();
}

TEST_F(PgEventPolling, WritersOfEventsTakeTheLockOthersDoNot) {
  auto a = open_postgres_store(db_.url());
  ASSERT_TRUE(a->create_org({"00o1", "", "First", 1}, {PutUser{user("a@x.io")}}));
  // Another session holds the events lock as a poll does.
  pg::Conn poll(db_.url());
  ASSERT_EQ(poll.exec("BEGIN"), Errc::ok);
  ASSERT_EQ(poll.run("SELECT pg_advisory_xact_lock($1)", pg::Params().i64(pg::kEventsLockKey)), Errc::ok);
  // A change set without events does not wait for it.
  EXPECT_TRUE(a->commit(core::OrgId{"00o1"}, {PutUser{user("c@x.io")}}));
  // A flush and a change set with an event wait until the poll is done.
  auto b = open_postgres_store(db_.url());
  EventBatch batch;
  batch.add("00o1", event("flushed"));
  std::thread flush([&] { EXPECT_TRUE(a->append_events(batch)); });
  std::thread change([&] { EXPECT_TRUE(b->commit(core::OrgId{"00o1"}, {AppendEvent{event("changed")}})); });
  wait_until_waiting(2);
  ASSERT_EQ(poll.exec("COMMIT"), Errc::ok);
  flush.join();
  change.join();
  auto c = open_postgres_store(db_.url());
  Poller poller(*c);
  EXPECT_EQ(poller.poll().size(), 2u);
}

TEST_F(PgEventPolling, TwoWritersAndAPollerNeitherSkipNorRepeat) {
  auto setup = open_postgres_store(db_.url());
  ASSERT_TRUE(setup->create_org({"00o1", "", "First", 1}, {PutUser{user("a@x.io")}}));
  constexpr int kBatches = 150, kPerBatch = 4;
  std::atomic<int> writing{2};
  auto writer = [&](std::string node) {
    auto s = open_postgres_store(db_.url());
    for (int i = 0; i < kBatches; ++i) {
      EventBatch batch;  // a node's flush of queued events
      for (int k = 0; k < kPerBatch; ++k) batch.add("00o1", event(node + "-" + std::to_string(i) + "-" + std::to_string(k)));
      EXPECT_TRUE(s->append_events(batch));
      if (i % 10 == 0) {  // and now and then a change with its event, in the change's transaction
        EXPECT_TRUE(s->commit(core::OrgId{"00o1"}, {AppendEvent{event(node + "-change-" + std::to_string(i))}}));
      }
    }
    --writing;
  };
  std::thread w1(writer, "A"), w2(writer, "B");
  auto polling = open_postgres_store(db_.url());
  Poller poller(*polling);
  std::vector<std::string> seen;
  while (writing > 0) {
    auto got = poller.poll();
    seen.insert(seen.end(), got.begin(), got.end());
  }
  w1.join();
  w2.join();
  for (auto got = poller.poll(); !got.empty(); got = poller.poll()) seen.insert(seen.end(), got.begin(), got.end());

  constexpr std::size_t kTotal = 2 * (kBatches * kPerBatch + kBatches / 10);
  std::set<std::string> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), seen.size()) << "an event was returned twice";
  EXPECT_EQ(seen.size(), kTotal) << "an event was skipped";
  // Each node's events arrive in the order that node wrote them.
  for (std::string node : {"A-", "B-"}) {
    int last = -1;
    for (auto& u : seen) {
      if (!u.starts_with(node) || u.starts_with(node + "change")) continue;
      int batch = std::stoi(u.substr(2));
      EXPECT_GE(batch, last);
      last = batch;
    }
  }
}

}  // namespace
}  // namespace gh::store
