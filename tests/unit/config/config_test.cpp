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

}  // namespace
}  // namespace gh::config
