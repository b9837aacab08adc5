// GET /api/v1/logs parameters (okta-compat.md §2, §5, §11.9, §11.18) and the filter on LogEvent
// fields (eq, co, sw, ew, pr, and/or/not, parentheses; arrays such as target).
#include "api/logs/query.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "domain/log_event.hpp"

namespace gh::api::logs {
namespace {
namespace json = boost::json;

domain::Millis at(const char* iso) { return core::epoch_ms(*core::parse_iso8601(iso)); }

http::Params params(std::string_view raw) { return *http::Params::parse(raw); }

LogQuery parsed(std::string_view raw, domain::Millis now = at("2030-01-10T00:00:00Z")) {
  auto r = parse_log_query(params(raw), now);
  if (!r) ADD_FAILURE() << raw << " -> " << r.error().code << " " << r.error().summary;
  return r.value();
}

json::object grant_event() {
  domain::LogEvent e;
  e.uuid = "u1";
  e.published = at("2030-01-05T12:00:00.000Z");
  e.event_type = "app.oauth2.as.token.grant";
  e.severity = "WARN";
  e.outcome_result = "FAILURE";
  e.outcome_reason = "invalid_client";
  e.actor = {"0oaClient", "PublicClientApp", "0oaClient", "Billing Sync"};
  e.client = {"0oaClient", "10.1.2.3", "okta-sdk-nodejs/8.1.0"};
  e.target = {{"0oaClient", "AppInstance", "Billing Sync", "Billing Sync", {}},
              {"ausDefault", "AuthorizationServer", "", "default", {}}};
  e.debug_data["grantType"] = "client_credentials";
  e.display_message = "OAuth2 access token request refused";
  return domain::to_json(e);
}

json::object user_event() {
  domain::LogEvent e;
  e.uuid = "u2";
  e.published = at("2030-01-06T00:00:00Z");
  e.event_type = "user.lifecycle.create";
  e.actor = {"00uAdmin", "User", "admin@x.io", "Ad Min"};
  e.client = {"", "::1", ""};
  e.target = {{"00uNew", "User", "new@x.io", "New Person", {}}};
  e.display_message = "Create Okta user";
  return domain::to_json(e);
}

bool match(std::string_view filter, const json::object& ev) {
  std::string raw = "filter=" + http::percent_encode(filter);
  auto r = parse_log_query(params(raw), at("2030-01-10T00:00:00Z"));
  if (!r) {
    ADD_FAILURE() << filter << " did not parse: " << r.error().code;
    return false;
  }
  return matches(*r, ev);
}

TEST(LogFilter, MatchesLogEventFields) {
  struct Case {
    std::string_view filter;
    bool grant, user;
  };
  const Case cases[] = {
      {R"(eventType eq "app.oauth2.as.token.grant")", true, false},
      {R"(eventType sw "user.")", false, true},
      {R"(eventType ew ".create")", false, true},
      {R"(eventType co "oauth2")", true, false},
      {R"(outcome.result eq "FAILURE")", true, false},
      {R"(outcome.result eq "success")", false, true},  // values compare case-insensitively
      {R"(outcome.reason pr)", true, false},
      {R"(actor.id eq "00uAdmin")", false, true},
      {R"(actor.type eq "PublicClientApp")", true, false},
      {R"(target.id eq "ausDefault")", true, false},  // any element of the target array
      {R"(target.type eq "User")", false, true},
      {R"(target.displayName co "person")", false, true},
      {R"(client.ipAddress eq "10.1.2.3")", true, false},
      {R"(client.ipAddress sw "::")", false, true},
      {R"(severity eq "WARN")", true, false},
      {R"(debugContext.debugData.grantType eq "client_credentials")", true, false},
      {R"(published gt "2030-01-05T23:59:59Z")", false, true},
      {R"(published lt "2030-01-05T12:00:00.001Z")", true, false},
      {R"(eventType eq "user.lifecycle.create" or outcome.result eq "FAILURE")", true, true},
      {R"(eventType sw "user." and actor.id eq "nobody")", false, false},
      {R"(not (eventType sw "user."))", true, false},
      {R"((severity eq "WARN" or severity eq "ERROR") and not target.type eq "User")", true, false},
      {R"(eventType ne "user.lifecycle.create")", true, false},
      {R"(nosuch.field eq "x")", false, false},
      {R"(nosuch.field pr)", false, false},
  };
  auto g = grant_event(), u = user_event();
  for (auto& c : cases) {
    SCOPED_TRACE(c.filter);
    EXPECT_EQ(match(c.filter, g), c.grant);
    EXPECT_EQ(match(c.filter, u), c.user);
  }
}

TEST(LogFilter, KeywordsMustAllOccurInSomeValue) {
  auto g = grant_event(), u = user_event();
  EXPECT_TRUE(matches(parsed("q=billing"), g));
  EXPECT_FALSE(matches(parsed("q=billing"), u));
  EXPECT_TRUE(matches(parsed("q=BILLING+invalid_client"), g));
  EXPECT_FALSE(matches(parsed("q=billing+person"), g));
  EXPECT_TRUE(matches(parsed("q=new%40x.io"), u));
  EXPECT_FALSE(matches(parsed("q=displayMessage"), u));  // member names are not values
}

TEST(LogQuery, DefaultsAndPollingDetection) {
  auto now = at("2030-01-10T00:00:00Z");
  auto q = parsed("", now);
  EXPECT_TRUE(q.polling);  // ASCENDING (the default) without until
  EXPECT_EQ(q.order, store::EventOrder::persisted_asc);
  EXPECT_EQ(q.since, now - kDefaultWindowMs);
  EXPECT_EQ(q.limit, 100u);

  q = parsed("until=2030-01-09T00:00:00Z", now);
  EXPECT_FALSE(q.polling);
  EXPECT_EQ(q.order, store::EventOrder::published_asc);
  EXPECT_EQ(q.until, at("2030-01-09T00:00:00Z"));
  EXPECT_EQ(q.since, at("2030-01-02T00:00:00Z"));  // MGMT-OAS: 7 days before until

  q = parsed("sortOrder=DESCENDING&since=2030-01-01T00:00:00%2B01:00", now);
  EXPECT_FALSE(q.polling);
  EXPECT_EQ(q.order, store::EventOrder::published_desc);
  EXPECT_EQ(q.since, at("2029-12-31T23:00:00Z"));
  EXPECT_EQ(q.until, now);

  // §11.18: until may lie in the future.
  q = parsed("since=2030-01-01T00:00:00Z&until=2031-01-01T00:00:00.000Z&limit=1000", now);
  EXPECT_EQ(q.until, at("2031-01-01T00:00:00Z"));
  EXPECT_EQ(q.limit, 1000u);
  EXPECT_EQ(parsed("limit=0", now).limit, 100u);
}

TEST(LogQuery, CursorsRoundTripAndBelongToTheirKindOfQuery) {
  Cursor c{false, 1'893'456'000'123, 42};
  auto back = decode_cursor(encode_cursor(c));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->persisted);
  EXPECT_EQ(back->published, c.published);
  EXPECT_EQ(back->seq, 42);
  auto p = decode_cursor(encode_cursor({true, 0, 7}));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->persisted);
  EXPECT_EQ(p->seq, 7);
  EXPECT_EQ(parsed("after=" + encode_cursor({true, 0, 7})).after->seq, 7);
}

TEST(LogQuery, BadParametersAre400NeverAnUnfilteredResult) {
  struct Case {
    std::string_view raw;
    std::string_view code;
  };
  const Case cases[] = {
      {"since=yesterday", "E0000001"},
      {"since=2030-01-01", "E0000001"},
      {"until=2030-13-01T00:00:00Z", "E0000001"},
      {"since=2030-01-05T00:00:00Z&until=2030-01-04T00:00:00Z", "E0000001"},
      {"limit=abc", "E0000001"},
      {"limit=-1", "E0000001"},
      {"limit=1001", "E0000001"},
      {"limit=10&limit=20", "E0000001"},
      {"sortOrder=UP", "E0000001"},
      {"after=garbage", "E0000001"},
      {"until=2030-01-09T00:00:00Z&after=p12", "E0000001"},  // a polling cursor on a bounded query
      {"after=t1_2", "E0000001"},                            // a bounded cursor on a polling query
      {"q=" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "E0000001"},  // 41 characters
      {"q=1+2+3+4+5+6+7+8+9+10+11", "E0000001"},
      {"filter=eventType%20eq", "E0000031"},
      {"filter=eventType%20eq%20%22a%22%20or%201=1", "E0000031"},
      {"filter=(eventType%20eq%20%22a%22", "E0000031"},
      {"filter=eventType%20xx%20%22a%22", "E0000031"},
      {"filter=a&filter=b", "E0000001"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.raw);
    auto r = parse_log_query(params(c.raw), at("2030-01-10T00:00:00Z"));
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().code, c.code);
  }
}

}  // namespace
}  // namespace gh::api::logs
