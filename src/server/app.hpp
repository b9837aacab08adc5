#pragma once
// The composition root: the only place that names concrete stores, pools and servers.
#include <optional>
#include <string>

#include "config/config.hpp"

namespace gh::server {

// The exit code of a command that found the store's schema newer than this build knows.
inline constexpr int kExitSchemaTooNew = 3;

struct InitOptions {
  std::string data_dir;
  std::string store;  // empty: SQLite in data_dir; postgresql://…: that database (issue 18)
  std::string base_url;
  std::string admin_email;
  std::optional<std::string> admin_password;  // generated when absent
  int api_tokens = 1;
  bool json = false;
};

// `gatehouse init`: exit code 0, or 2 when the directory is already initialised.
int run_init(const InitOptions& opts);

// `gatehouse serve`: serves until SIGTERM/SIGINT; exit code 0 after a clean drain.
int run_serve(const std::string& data_dir, const config::Config& cfg);

// `gatehouse migrate`: applies the store's pending migrations (PostgreSQL at `store_url`, else
// the data dir's SQLite database); exit code 0, or kExitSchemaTooNew.
int run_migrate(const std::string& data_dir, const std::string& store_url);

}  // namespace gh::server
