// EventBatch and EventQueue (issue #4): queued System Log events keep their columns and order,
// a full queue drops and counts, and a failed write keeps the oldest events for the next flush.
#include "store/event_batch.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "store/errc.hpp"
#include "store/event_queue.hpp"
#include "store/event_record.hpp"

namespace gh::store {
namespace {

domain::LogEvent event(std::string uuid, domain::Millis published) {
  domain::LogEvent e;
  e.uuid = std::move(uuid);
  e.published = published;
  e.event_type = "app.oauth2.token.grant.access_token";
  e.display_message = "OAuth2 access token is granted";
  return e;
}

TEST(EventBatch, KeepsEachEventsColumnsInOrder) {
  EventBatch b;
  b.add("00o1", event("u1", 10));
  b.add("00o22", event("u2", 20));
  EventBatch c;
  c.add("00o333", event("u3", 30));
  b.append(c);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].org_id, "00o1");
  EXPECT_EQ(b[1].org_id, "00o22");
  EXPECT_EQ(b[2].org_id, "00o333");
  EXPECT_EQ(b[2].uuid, "u3");
  EXPECT_EQ(b[2].published, 30);
  EXPECT_EQ(b[1].event_type, "app.oauth2.token.grant.access_token");
  EXPECT_EQ(boost::json::parse(b[1].record).as_array().at(1), "OAuth2 access token is granted");
  b.truncate(1);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].uuid, "u1");
  b.add("00o4", event("u4", 40));  // after a truncate, new events follow the kept ones
  EXPECT_EQ(b[1].uuid, "u4");
  EXPECT_EQ(b[1].published, 40);
}

// What is stored renders as the event itself: every member, escapes and objects included.
TEST(EventRecord, RendersAsTheEventItWasMadeFrom) {
  auto e = event("u-7", 1'893'456'000'123);
  e.severity = domain::severity::warn;
  e.actor = {"0oa1", "PublicClientApp", "", "svc \"a\"\n"};
  e.client = {"0oa1", "::1", "ua/1 \x01"};
  e.outcome_result = domain::outcome::failure;
  e.outcome_reason = "invalid_client";
  e.target = {{"0oa1", "AppInstance", "svc", "svc", {}}, {"aus1", "AuthorizationServer", "https://x/oauth2/aus1", "", {}}};
  e.target[1].detail_entry["policy"] = "p1";
  e.transaction_id = "req-1";
  e.transaction_detail["requestApiTokenId"] = "00T1";
  e.debug_data["requestedScopes"] = "a b";
  e.debug_data["count"] = 3;
  e.credential_type = "CLIENT_SECRET";
  std::string record;
  encode_event_record(e, record);
  EXPECT_EQ(render_stored_event(e.uuid, e.published, e.event_type, record), domain::render_json(e));
  EXPECT_LT(record.size(), domain::render_json(e).size() / 2);
  // Rows written before the record form hold the Okta JSON itself.
  auto okta = domain::render_json(e);
  EXPECT_EQ(render_stored_event("x", 0, "y", okta), okta);
  // A record that cannot be read still renders the columns.
  auto broken = boost::json::parse(render_stored_event("u-8", 5, "t.x", "[9,\"?\"]")).as_object();
  EXPECT_EQ(broken.at("uuid"), "u-8");
  EXPECT_EQ(broken.at("eventType"), "t.x");
}

// The token endpoint's events are encoded from views (EventFields): the bytes are those of the
// LogEvent with the same members, for a grant and for a refusal with escapes.
TEST(EventRecord, FieldsEncodeAsTheLogEventWithTheSameMembers) {
  for (bool refused : {false, true}) {
    SCOPED_TRACE(refused ? "refused" : "granted");
    auto e = event("u-9", 7);
    e.actor = {"0oa1", "PublicClientApp", "0oa1", "svc \"b\"\t"};
    e.client = {"0oa1", "127.0.0.1", "okta-sdk-nodejs/7 \xc3\xa9"};
    e.target = {{"0oa1", "AppInstance", "svc", "svc", {}}, {"aus1", "AuthorizationServer", "https://x/oauth2/aus1", "AS", {}}};
    e.transaction_id = "req-2";
    e.debug_data["requestId"] = "req-2";
    e.debug_data["requestedScopes"] = "a b\\c";
    if (refused) {
      e.severity = domain::severity::warn;
      e.outcome_result = domain::outcome::failure;
      e.outcome_reason = "invalid_scope";
      e.debug_data["errorDescription"] = "The \"scope\" is unknown.";
    }
    EventFields f;
    f.display_message = e.display_message;
    f.severity = e.severity;
    f.actor = {e.actor.id, e.actor.type, e.actor.alternate_id, e.actor.display_name};
    f.client = {e.client.id, e.client.ip_address, e.client.user_agent};
    f.outcome_result = e.outcome_result;
    f.outcome_reason = e.outcome_reason;
    std::vector<EventFields::Target> targets;
    for (auto& t : e.target) targets.push_back({t.id, t.type, t.alternate_id, t.display_name});
    f.targets = targets;
    f.transaction_id = e.transaction_id;
    std::vector<EventFields::Debug> debug;
    for (auto& [k, v] : e.debug_data) debug.emplace_back(k, v.as_string());
    f.debug_data = debug;
    std::string from_event, from_fields;
    encode_event_record(e, from_event);
    encode_event_record(f, from_fields);
    EXPECT_EQ(from_fields, from_event);
    EXPECT_EQ(render_stored_event(e.uuid, e.published, e.event_type, from_fields), domain::render_json(e));
  }
  // No targets and no debugData.
  std::string a, b;
  encode_event_record(event("u", 1), a);
  encode_event_record(EventFields{.display_message = "OAuth2 access token is granted"}, b);
  EXPECT_EQ(b, a);
}

// A store whose appends fail while `failing` is set, and which records what it was given.
class FlakyStore final : public Store {
 public:
  bool failing = false;
  std::vector<std::string> written;
  Result<std::vector<domain::Org>> list_orgs() override { return std::vector<domain::Org>{}; }
  Result<OrgSnapshot> load_org(const std::string&, ApiTokenSink&) override { return Errc::not_found; }
  Result<void> create_org(const domain::Org&, const ChangeSet&) override { return {}; }
  Result<void> commit(const std::string&, const ChangeSet&) override { return {}; }
  Result<void> record_token_use(const std::vector<TokenUse>&) override { return {}; }
  Result<void> append_events(const EventBatch& b) override {
    if (failing) return Errc::io_failed;
    for (std::size_t i = 0; i < b.size(); ++i) written.emplace_back(b[i].uuid);
    return {};
  }
  Result<std::vector<EventRow>> query_events(const std::string&, const EventQuery&) override {
    return std::vector<EventRow>{};
  }
  Result<std::size_t> prune_events(domain::Millis, std::size_t) override { return std::size_t{0}; }
};

TEST(EventQueue, AFailedWriteKeepsTheOldestWithinCapacityForTheNextFlush) {
  EventQueue q(3);
  FlakyStore store;
  q.push("00o1", event("a", 1));
  q.push("00o1", event("b", 2));
  store.failing = true;
  EXPECT_FALSE(q.flush(store));
  q.push("00o1", event("c", 3));
  q.push("00o1", event("d", 4));  // a, b, c are queued: d is dropped
  EXPECT_EQ(q.take_dropped(), 1u);
  EXPECT_FALSE(q.flush(store));
  store.failing = false;
  auto n = q.flush(store);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 3u);
  EXPECT_EQ(store.written, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(q.take_dropped(), 0u);
  q.push("00o1", event("e", 5));  // the reused buffer starts empty
  ASSERT_TRUE(q.flush(store));
  EXPECT_EQ(store.written.back(), "e");
  EXPECT_EQ(store.written.size(), 4u);
  EXPECT_EQ(*q.flush(store), 0u);
}

}  // namespace
}  // namespace gh::store
