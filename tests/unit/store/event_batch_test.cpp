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

// A token request's event is stored as its varying members (record version 2) and renders as
// the whole LogEvent they stand for: granted and refused, org and custom AS, a known and an
// unknown client, with and without grant_type and scope, escapes included.
TEST(EventRecord, ATokenGrantRendersAsItsLogEvent) {
  struct Case {
    std::string name;
    domain::TokenGrant g;
  };
  domain::TokenGrant granted{.granted = true, .org_as = false, .client_id = "0oa1", .client_label = "svc \"b\"\t",
                             .ip_address = "127.0.0.1", .user_agent = "okta-sdk-nodejs/7 \xc3\xa9",
                             .request_id = "req-2", .request_uri = "/oauth2/aus1/v1/token", .has_grant_type = true,
                             .has_requested_scopes = true, .grant_type = "client_credentials",
                             .requested_scopes = "a b\\c", .as_id = "aus1", .as_issuer = "https://x/oauth2/aus1",
                             .as_name = "AS", .granted_scopes = "a", .token_type = "DPoP", .error = "", .error_description = ""};
  auto refused = granted;
  refused.granted = false, refused.org_as = true, refused.client_id = "", refused.client_label = "";
  refused.has_requested_scopes = false, refused.requested_scopes = "";
  refused.error = "invalid_client", refused.error_description = "Client authentication failed.";
  auto no_form = refused;
  no_form.has_grant_type = false, no_form.grant_type = "", no_form.error = "invalid_request";
  for (auto& [name, g] : std::vector<Case>{{"granted", granted}, {"refused", refused}, {"no form", no_form}}) {
    SCOPED_TRACE(name);
    auto e = domain::token_grant_event(g);
    e.uuid = "u-9", e.published = 7;
    std::string record;
    encode_token_grant(g, record);
    EXPECT_EQ(render_stored_event(e.uuid, e.published, domain::token_grant_event_type(g), record), domain::render_json(e));
    std::string full;
    encode_event_record(e, full);
    EXPECT_LT(record.size() * 2, full.size()) << record;
  }
  EXPECT_EQ(domain::token_grant_event_type(granted), "app.oauth2.as.token.grant.access_token");
  EXPECT_EQ(domain::token_grant_event_type(refused), "app.oauth2.token.grant");
}

// A store whose appends fail while `failing` is set, and which records what it was given.
class FlakyStore final : public Store {
 public:
  bool failing = false;
  std::vector<std::string> written;
  Result<std::vector<domain::Org>> list_orgs() override { return std::vector<domain::Org>{}; }
  Result<OrgSnapshot> load_org(const core::OrgId&, ApiTokenSink&) override { return Errc::not_found; }
  Result<void> create_org(const domain::Org&, const ChangeSet&) override { return {}; }
  Result<void> commit(const core::OrgId&, const ChangeSet&) override { return {}; }
  Result<void> record_token_use(const std::vector<TokenUse>&) override { return {}; }
  Result<void> append_events(const EventBatch& b) override {
    if (failing) return Errc::io_failed;
    for (std::size_t i = 0; i < b.size(); ++i) written.emplace_back(b[i].uuid);
    return {};
  }
  Result<std::vector<EventRow>> query_events(const core::OrgId&, const EventQuery&) override {
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
