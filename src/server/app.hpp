#pragma once
// The composition root: the only place that names concrete stores, pools and servers.
#include <optional>
#include <string>

#include "config/config.hpp"

namespace gh::server {

struct InitOptions {
  std::string data_dir;
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

}  // namespace gh::server
