// config::load_file: log_format and [metrics] (issue 18, operations).
#include <gtest/gtest.h>

#include <fstream>

#include "config/config.hpp"
#include "testing/temp_dir.hpp"

namespace gh::config {
namespace {

std::variant<Config, std::vector<ConfigIssue>> load_text(const std::string& text) {
  gh::testing::TempDir dir;
  auto path = dir.path() + "/gatehouse.toml";
  std::ofstream(path) << text;
  return load_file(path);
}

TEST(ConfigOps, LogFormatIsTextOrJson) {
  EXPECT_EQ(std::get<Config>(load_text("")).log_format, "text");
  EXPECT_EQ(std::get<Config>(load_text("log_format = \"json\"\n")).log_format, "json");
  auto bad = load_text("log_format = \"xml\"\n");
  ASSERT_TRUE(std::holds_alternative<std::vector<ConfigIssue>>(bad));
  EXPECT_EQ(std::get<std::vector<ConfigIssue>>(bad).front().key, "log_format");
}

TEST(ConfigOps, MetricsAreOffUnlessEnabled) {
  auto d = std::get<Config>(load_text(""));
  EXPECT_FALSE(d.metrics.enabled);
  EXPECT_TRUE(d.metrics.token_file.empty());
  auto c = std::get<Config>(load_text("[metrics]\nenabled = true\ntoken_file = \"/etc/gh/metrics.token\"\n"));
  EXPECT_TRUE(c.metrics.enabled);
  EXPECT_EQ(c.metrics.token_file, "/etc/gh/metrics.token");
  auto bad = load_text("[metrics]\nenabled = \"yes\"\ntoken = \"inline secrets are refused\"\n");
  ASSERT_TRUE(std::holds_alternative<std::vector<ConfigIssue>>(bad));
  EXPECT_EQ(std::get<std::vector<ConfigIssue>>(bad).size(), 2u);  // not a bool, an unknown key
}

}  // namespace
}  // namespace gh::config
