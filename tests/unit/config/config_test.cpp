// config::load_file: the jwks_uri fetch timeout (STYLE.md §3: one bounded fetch, 2 s).
#include "config/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/temp_dir.hpp"

namespace gh::config {
namespace {

Config load(const std::string& text) {
  gh::testing::TempDir dir;
  auto path = dir.path() + "/gatehouse.toml";
  std::ofstream(path) << text;
  auto r = load_file(path);
  EXPECT_TRUE(std::holds_alternative<Config>(r));
  return std::holds_alternative<Config>(r) ? std::get<Config>(r) : Config{};
}

TEST(Config, JwksUriFetchTimeoutIsTwoSecondsUnlessConfigured) {
  EXPECT_EQ(Config{}.jwks_uri.timeout_seconds, 2u);
  EXPECT_EQ(load("").jwks_uri.timeout_seconds, 2u);
  EXPECT_EQ(load("[jwks_uri]\ntimeout_seconds = 7\n").jwks_uri.timeout_seconds, 7u);
}

TEST(Config, ConsoleSessionTimeoutsAndThrottlesAreConfigurable) {
  EXPECT_EQ(load("").console.idle_timeout_minutes, 15u);
  EXPECT_EQ(load("").console.absolute_timeout_minutes, 480u);
  auto c = load("[console]\ndir = \"/srv/console\"\nidle_timeout_minutes = 5\nabsolute_timeout_minutes = 60\n"
                "sign_in_failures_per_account = 2\nsign_in_failures_per_address = 9\n");
  EXPECT_EQ(c.console.dir, "/srv/console");
  EXPECT_EQ(c.console.idle_timeout_minutes, 5u);
  EXPECT_EQ(c.console.absolute_timeout_minutes, 60u);
  EXPECT_EQ(c.console.sign_in_failures_per_account, 2u);
  EXPECT_EQ(c.console.sign_in_failures_per_address, 9u);
  gh::testing::TempDir dir;
  auto path = dir.path() + "/bad.toml";
  std::ofstream(path) << "[console]\nidle_timeout_minutes = 0\nsession_secret = 1\n";
  auto r = load_file(path);
  ASSERT_TRUE(std::holds_alternative<std::vector<ConfigIssue>>(r));
  EXPECT_EQ(std::get<std::vector<ConfigIssue>>(r).size(), 2u);  // a zero timeout and an unknown key
}

}  // namespace
}  // namespace gh::config
