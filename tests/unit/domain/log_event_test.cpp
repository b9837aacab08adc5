// The LogEvent shape (okta-compat.md §5 "System log event"; MGMT-OAS LogEvent).
#include "domain/log_event.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <regex>
#include <set>

namespace gh::domain {
namespace {
namespace json = boost::json;

TEST(LogEvent, RendersEveryLogEventMemberWithTargetAsAnArray) {
  LogEvent e;
  e.uuid = "u-1";
  e.published = 1'893'456'000'123;  // 2030-01-01T00:00:00.123Z
  e.event_type = "group.user_membership.add";
  e.display_message = "Add user to group membership";
  e.actor = {"00u1", "User", "a@x.io", "A B"};
  e.client = {"", "127.0.0.1", "ua/1"};
  e.target = {{"00u2", "User", "b@x.io", "B C", {}}, {"00g1", "UserGroup", "", "eng", {}}};
  e.transaction_id = "req1";
  e.transaction_detail["requestApiTokenId"] = "00T1";
  e.debug_data["requestUri"] = "/api/v1/groups/00g1/users/00u2";
  auto o = to_json(e);
  for (auto key : {"uuid", "published", "eventType", "version", "severity", "displayMessage", "legacyEventType",
                   "actor", "client", "outcome", "target", "transaction", "debugContext",
                   "authenticationContext", "securityContext", "request"})
    EXPECT_TRUE(o.contains(key)) << key;
  EXPECT_EQ(o.at("published"), "2030-01-01T00:00:00.123Z");
  EXPECT_EQ(o.at("version"), "0");
  EXPECT_EQ(o.at("severity"), "INFO");
  EXPECT_EQ(o.at("outcome").at("result"), "SUCCESS");
  EXPECT_TRUE(o.at("outcome").at("reason").is_null());
  ASSERT_TRUE(o.at("target").is_array());  // §5: target is an array
  ASSERT_EQ(o.at("target").as_array().size(), 2u);
  EXPECT_EQ(o.at("target").as_array()[1].at("type"), "UserGroup");
  EXPECT_EQ(o.at("target").as_array()[1].at("alternateId"), "unknown");
  EXPECT_EQ(o.at("actor").at("alternateId"), "a@x.io");
  EXPECT_EQ(o.at("client").at("ipAddress"), "127.0.0.1");
  EXPECT_EQ(o.at("client").at("userAgent").at("rawUserAgent"), "ua/1");
  EXPECT_TRUE(o.at("client").at("id").is_null());
  EXPECT_EQ(o.at("transaction").at("detail").at("requestApiTokenId"), "00T1");
  EXPECT_EQ(o.at("request").at("ipChain").as_array()[0].at("version"), "V4");
  EXPECT_EQ(o.at("debugContext").at("debugData").at("requestUri"), "/api/v1/groups/00g1/users/00u2");
}

TEST(LogEvent, FailureAndEmptyClient) {
  LogEvent e;
  e.uuid = "u";
  e.event_type = "app.oauth2.token.grant";
  e.severity = severity::warn;
  e.outcome_result = outcome::failure;
  e.outcome_reason = "invalid_client";
  auto o = to_json(e);
  EXPECT_EQ(o.at("severity"), "WARN");
  EXPECT_EQ(o.at("outcome").at("result"), "FAILURE");
  EXPECT_EQ(o.at("outcome").at("reason"), "invalid_client");
  EXPECT_TRUE(o.at("client").at("userAgent").is_null());
  EXPECT_TRUE(o.at("request").at("ipChain").as_array().empty());
  EXPECT_TRUE(o.at("target").as_array().empty());
}

TEST(LogEvent, UuidsAreVersionFourAndDistinct) {
  core::SeededRandom r(3);
  std::set<std::string> seen;
  const std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 200; ++i) {
    auto u = new_event_uuid(r);
    EXPECT_TRUE(std::regex_match(u, v4)) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(LogEvent, UserAgentsLoseControlCharactersAndAreBounded) {
  EXPECT_EQ(sanitize_user_agent("a\r\nb\x01\x7f" "c"), "abc");
  EXPECT_EQ(sanitize_user_agent(std::string(2000, 'x')).size(), 512u);
}

TEST(LogEvent, TokenTargetsNameTheTokenNeverItsValueOrHint) {
  ApiToken t;
  t.id = "00T1";
  t.name = "ci";
  t.hint = "gth_api_abcd";
  t.mac[0] = 7;
  LogEvent e;
  e.target = {token_target(t)};
  auto s = json::serialize(to_json(e));
  EXPECT_NE(s.find("00T1"), std::string::npos);
  EXPECT_EQ(s.find("gth_api_"), std::string::npos);
}

// render_json writes strings as boost::json's serializer does (RFC 8259 §7), every byte value
// included, and what it writes parses back to the same values.
TEST(LogEvent, StringsAreEscapedAsTheJsonSerializerDoes) {
  std::string all;
  for (int c = 1; c < 0x80; ++c) all += static_cast<char>(c);
  all += "\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x91";  // é € 🔑
  LogEvent e;
  e.uuid = "u";
  e.display_message = all;
  e.actor = {"a\"b", "User", "", "x\\y"};
  e.client.user_agent = "ua\t1";
  e.debug_data["note"] = "line\nbreak";
  auto text = render_json(e);
  EXPECT_NE(text.find(json::serialize(json::value(all))), std::string::npos);
  auto o = json::parse(text).as_object();
  EXPECT_EQ(o.at("displayMessage").as_string(), all);
  EXPECT_EQ(o.at("actor").at("id").as_string(), "a\"b");
  EXPECT_EQ(o.at("actor").at("displayName").as_string(), "x\\y");
  EXPECT_EQ(o.at("actor").at("alternateId").as_string(), "unknown");
  EXPECT_EQ(o.at("client").at("userAgent").at("rawUserAgent").as_string(), "ua\t1");
  EXPECT_EQ(o.at("debugContext").at("debugData").at("note").as_string(), "line\nbreak");
  EXPECT_TRUE(o.at("transaction").at("detail").as_object().empty());
}

}  // namespace
}  // namespace gh::domain
