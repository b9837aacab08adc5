// JSON log lines (issue 18): one object a line, escaped, with the request id when named.
#include "server/log_format.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace gh::server {
namespace {

boost::json::object parse_line(const std::string& line) {
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line
  return boost::json::parse(line).as_object();
}

TEST(JsonLogs, FieldsAndRequestId) {
  auto t = std::chrono::system_clock::time_point{std::chrono::milliseconds{1'765'000'000'123}};
  auto o = parse_line(json_log_line(t, "debug", "refused request_id=abc123 org=00o1 status=400 cause=\"x:y\""));
  EXPECT_EQ(o["time"].as_string(), "2025-12-06T05:46:40.123Z");
  EXPECT_EQ(o["level"].as_string(), "debug");
  EXPECT_EQ(o["message"].as_string(), "refused request_id=abc123 org=00o1 status=400 cause=\"x:y\"");
  EXPECT_EQ(o["request_id"].as_string(), "abc123");
  auto plain = parse_line(json_log_line(t, "info", "loaded orgs=1"));
  EXPECT_FALSE(plain.contains("request_id"));
}

TEST(JsonLogs, EscapesControlsQuotesAndBadUtf8) {
  auto t = std::chrono::system_clock::now();
  std::string msg = "a\"b\\c\nd\te\x01f\x7f g\xC3\xA9 h\xFF i\xC3";
  auto o = parse_line(json_log_line(t, "error", msg));
  EXPECT_EQ(o["message"].as_string(), "a\"b\\c\nd\te\x01f\x7f g\xC3\xA9 h\xC3\xBF i\xC3\x83");
}

}  // namespace
}  // namespace gh::server
