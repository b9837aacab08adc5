// The System Log table through the Store interface: same-transaction events, org scoping, the
// three orders with cursors, batched appends, the queue and retention pruning with a fake clock.
// On both backends: SQLite and PostgreSQL (issue 18).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/time_format.hpp"
#include "store/errc.hpp"
#include "store/event_queue.hpp"
#include "store/event_retention.hpp"
#include "testing/store_backends.hpp"
#include "testing/users.hpp"

namespace gh::store {
namespace {
using namespace std::chrono_literals;

domain::LogEvent event(std::string uuid, domain::Millis published, std::string type = "user.lifecycle.create") {
  domain::LogEvent e;
  e.uuid = std::move(uuid);
  e.published = published;
  e.event_type = std::move(type);
  e.actor = domain::system_actor();
  return e;
}

EventBatch batch_of(std::initializer_list<std::pair<std::string, domain::LogEvent>> events) {
  EventBatch b;
  for (auto& [org, e] : events) b.add(org, e);
  return b;
}

domain::User user(std::string id, std::string login) { return testing::active_user(std::move(id), login, 0); }

std::vector<std::string> uuids(const std::vector<EventRow>& rows) {
  std::vector<std::string> out;
  for (auto& r : rows) out.emplace_back(boost::json::parse(r.json).at("uuid").as_string());
  return out;
}

class EventLogTest : public ::testing::TestWithParam<const char*> {
 protected:
  EventLogTest() : backend_(GetParam()), store_(backend_.open()) {
    EXPECT_TRUE(store_->create_org({"00o1", "", "First", 1}, {}));
    EXPECT_TRUE(store_->create_org({"00o2", "two", "Second", 1}, {}));
  }
  std::vector<EventRow> query(const std::string& org, EventQuery q) {
    auto r = store_->query_events(core::OrgId{org}, q);
    EXPECT_TRUE(r);
    return r ? *r : std::vector<EventRow>{};
  }
  static EventQuery range(EventOrder order, std::size_t limit = 100) {
    EventQuery q;
    q.since = 0, q.until = 1'000'000, q.order = order, q.limit = limit;
    return q;
  }

  testing::BackendStore backend_;
  std::unique_ptr<Store> store_;
};
INSTANTIATE_TEST_SUITE_P(Backends, EventLogTest, ::testing::ValuesIn(testing::kBackends));

TEST_P(EventLogTest, AFailedChangeWritesNoEventAndASuccessfulOneWritesItsEvents) {
  ASSERT_TRUE(store_->commit(core::OrgId{"00o1"}, {PutUser{user("00u1", "a@x.io")}, AppendEvent{event("e1", 10)}}));
  // The same login again: the unique constraint fails the change, and its event goes with it.
  auto r = store_->commit(core::OrgId{"00o1"}, {AppendEvent{event("e2", 20)}, PutUser{user("00u2", "A@x.io")}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), Errc::conflict);
  EXPECT_EQ(uuids(query("00o1", range(EventOrder::published_asc))), std::vector<std::string>{"e1"});
}

TEST_P(EventLogTest, QueriesNeverSeeAnotherOrgsEvents) {
  ASSERT_TRUE(store_->commit(core::OrgId{"00o1"}, {AppendEvent{event("mine", 10)}}));
  ASSERT_TRUE(store_->append_events(batch_of({{"00o2", event("theirs", 11)}})));
  for (auto order : {EventOrder::published_asc, EventOrder::published_desc, EventOrder::persisted_asc}) {
    EXPECT_EQ(uuids(query("00o1", range(order))), std::vector<std::string>{"mine"});
    EXPECT_EQ(uuids(query("00o2", range(order))), std::vector<std::string>{"theirs"});
  }
}

TEST_P(EventLogTest, OrdersAndCursorsWalkEveryEventOnce) {
  // Inserted out of published order, as a batch of queued events written after a change is.
  ASSERT_TRUE(store_->commit(core::OrgId{"00o1"}, {AppendEvent{event("c", 30)}, AppendEvent{event("d", 30)}}));
  ASSERT_TRUE(store_->append_events(batch_of({{"00o1", event("a", 10)}, {"00o1", event("e", 50)}, {"00o1", event("b", 20)}})));

  auto walk = [&](EventOrder order) {
    std::vector<std::string> seen;
    auto q = range(order, 2);
    for (int pages = 0; pages < 10; ++pages) {
      auto rows = query("00o1", q);
      for (auto& id : uuids(rows)) seen.push_back(id);
      if (rows.size() < q.limit) break;
      q.has_after = true, q.after_published = rows.back().published, q.after_seq = rows.back().seq;
    }
    return seen;
  };
  EXPECT_EQ(walk(EventOrder::published_asc), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(walk(EventOrder::published_desc), (std::vector<std::string>{"e", "d", "c", "b", "a"}));
  // Polling order is the order events became visible: a later batch never hides behind a cursor.
  EXPECT_EQ(walk(EventOrder::persisted_asc), (std::vector<std::string>{"c", "d", "a", "e", "b"}));
}

TEST_P(EventLogTest, SinceIsInclusiveAndUntilExclusive) {
  ASSERT_TRUE(store_->append_events(batch_of({{"00o1", event("a", 10)}, {"00o1", event("b", 20)}, {"00o1", event("c", 30)}})));
  for (auto order : {EventOrder::published_asc, EventOrder::published_desc, EventOrder::persisted_asc}) {
    auto q = range(order);
    q.since = 20, q.until = 30;
    EXPECT_EQ(uuids(query("00o1", q)), std::vector<std::string>{"b"});
    q.since = 31;
    EXPECT_TRUE(query("00o1", q).empty());
  }
}

TEST_P(EventLogTest, QueuedEventsAreWrittenInOneBatchAndTheQueueIsBounded) {
  EventQueue queue(3);
  for (int i = 0; i < 5; ++i) queue.push("00o1", event("q" + std::to_string(i), 10 + i));
  auto n = queue.flush(*store_);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 3u);
  EXPECT_EQ(queue.take_dropped(), 0u);  // reported (and reset) by flush
  EXPECT_EQ(uuids(query("00o1", range(EventOrder::persisted_asc))), (std::vector<std::string>{"q0", "q1", "q2"}));
  EXPECT_EQ(*queue.flush(*store_), 0u);
}

// Batches are inserted several rows per statement: the persisted order is still the queue's.
TEST_P(EventLogTest, ALargeBatchKeepsItsOrderAndEveryEvent) {
  EventBatch batch;
  std::vector<std::string> want;
  for (int i = 0; i < 70; ++i) {
    want.push_back("b" + std::to_string(i));
    batch.add("00o1", event(want.back(), 1000 - i));  // published descending: seq order differs
  }
  ASSERT_TRUE(store_->append_events(batch));
  auto q = range(EventOrder::persisted_asc);
  q.limit = 100;
  EXPECT_EQ(uuids(query("00o1", q)), want);
}

TEST_P(EventLogTest, RetentionPrunesOnlyEventsOlderThanTheWindowInBatches) {
  core::FakeClock clock(*core::parse_iso8601("2030-03-01T00:00:00Z"));
  auto now = core::epoch_ms(clock.now());
  EventBatch batch;
  for (int i = 0; i < 25; ++i) batch.add(i % 2 ? "00o1" : "00o2", event("old" + std::to_string(i), now - 91LL * 86'400'000 + i));
  batch.add("00o1", event("recent", now - 89LL * 86'400'000));
  ASSERT_TRUE(store_->append_events(batch));

  EventRetention retention(*store_, clock, 90 * 24h, /*batch_rows=*/10, /*max_batches=*/2);
  auto pruned = retention.prune_once();  // two batches of ten: small transactions, bounded work
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 20u);
  EXPECT_EQ(*retention.prune_once(), 5u);
  EXPECT_EQ(*retention.prune_once(), 0u);
  auto q = range(EventOrder::published_asc);
  q.until = now;
  EXPECT_EQ(uuids(query("00o1", q)), std::vector<std::string>{"recent"});
  EXPECT_TRUE(query("00o2", q).empty());
  clock.advance(24h + 1ms);  // a day later the last one leaves the window too
  EXPECT_EQ(*retention.prune_once(), 1u);
}

TEST_P(EventLogTest, EventsSurviveAReopen) {
  ASSERT_TRUE(store_->commit(core::OrgId{"00o1"}, {AppendEvent{event("kept", 10)}}));
  store_.reset();
  store_ = backend_.open();
  EXPECT_EQ(uuids(query("00o1", range(EventOrder::persisted_asc))), std::vector<std::string>{"kept"});
}

}  // namespace
}  // namespace gh::store
