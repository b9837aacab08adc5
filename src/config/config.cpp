#include "config/config.hpp"

#include <toml++/toml.h>

#include <set>

namespace gh::config {
namespace {
struct Reader {
  std::vector<ConfigIssue> issues;

  void check_keys(const toml::table& t, const std::string& prefix, const std::set<std::string>& known) {
    for (auto& [k, v] : t)
      if (!known.contains(std::string(k.str()))) issues.push_back({prefix + std::string(k.str()), "unknown key"});
  }
  void str(const toml::table& t, const char* key, const std::string& prefix, std::string& out) {
    if (auto* n = t.get(key)) {
      if (auto v = n->value<std::string>()) out = *v;
      else issues.push_back({prefix + key, "must be a string"});
    }
  }
  void strings(const toml::table& t, const char* key, const std::string& prefix, std::vector<std::string>& out) {
    auto* n = t.get(key);
    if (!n) return;
    auto* a = n->as_array();
    bool ok = a != nullptr;
    std::vector<std::string> v;
    if (a)
      for (auto& item : *a) {
        auto s = item.value<std::string>();
        if (!s || s->empty()) ok = false;
        else v.push_back(*s);
      }
    if (!ok) issues.push_back({prefix + key, "must be an array of non-empty strings"});
    else out = std::move(v);
  }
  void boolean(const toml::table& t, const char* key, const std::string& prefix, bool& out) {
    if (auto* n = t.get(key)) {
      auto v = n->value<bool>();
      if (!v) issues.push_back({prefix + key, "must be true or false"});
      else out = *v;
    }
  }
  void uint(const toml::table& t, const char* key, const std::string& prefix, unsigned& out, unsigned min = 0) {
    if (auto* n = t.get(key)) {
      auto v = n->value<std::int64_t>();
      if (!v || *v < min || *v > 1'000'000'000) issues.push_back({prefix + key, "must be an integer >= " + std::to_string(min)});
      else out = static_cast<unsigned>(*v);
    }
  }
};
}  // namespace

std::variant<Config, std::vector<ConfigIssue>> load_file(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return std::vector<ConfigIssue>{{path, std::string(e.description())}};
  }
  Config c;
  Reader r;
  r.check_keys(root, "", {"listen", "base_url", "threads", "outbound_threads", "log_level", "limits", "tokens",
                          "rate_limits", "system_log", "jwks_uri", "console", "tls", "store",
                          "log_format", "metrics"});
  r.str(root, "listen", "", c.listen);
  r.str(root, "base_url", "", c.base_url);
  r.uint(root, "threads", "", c.threads);
  r.uint(root, "outbound_threads", "", c.outbound_threads, 1);
  r.str(root, "log_level", "", c.log_level);
  r.str(root, "store", "", c.store);
  r.str(root, "log_format", "", c.log_format);
  if (c.log_format != "text" && c.log_format != "json") r.issues.push_back({"log_format", "must be \"text\" or \"json\""});
  if (!c.store.empty() && !c.store.starts_with("postgresql://") && !c.store.starts_with("postgres://"))
    r.issues.push_back({"store", "must be a postgresql:// URL (absent: SQLite in the data directory)"});
  if (auto* l = root["limits"].as_table()) {
    r.check_keys(*l, "limits.", {"header_bytes", "header_fields", "api_body_bytes", "oauth_body_bytes",
                                 "json_depth", "max_connections", "max_connections_per_address",
                                 "header_timeout_seconds", "body_timeout_seconds"});
    r.uint(*l, "header_bytes", "limits.", c.limits.header_bytes, 1024);
    r.uint(*l, "header_fields", "limits.", c.limits.header_fields, 8);
    r.uint(*l, "api_body_bytes", "limits.", c.limits.api_body_bytes, 1024);
    r.uint(*l, "oauth_body_bytes", "limits.", c.limits.oauth_body_bytes, 1024);
    r.uint(*l, "json_depth", "limits.", c.limits.json_depth, 2);
    r.uint(*l, "max_connections", "limits.", c.limits.max_connections, 1);
    r.uint(*l, "max_connections_per_address", "limits.", c.limits.max_connections_per_address, 1);
    r.uint(*l, "header_timeout_seconds", "limits.", c.limits.header_timeout_seconds, 1);
    r.uint(*l, "body_timeout_seconds", "limits.", c.limits.body_timeout_seconds, 1);
  }
  if (auto* t = root["tokens"].as_table()) {
    r.check_keys(*t, "tokens.", {"api_token_idle_days", "last_used_flush_seconds"});
    r.uint(*t, "api_token_idle_days", "tokens.", c.tokens.api_token_idle_days, 1);
    r.uint(*t, "last_used_flush_seconds", "tokens.", c.tokens.last_used_flush_seconds, 1);
  }
  if (auto* t = root["rate_limits"].as_table()) {
    r.check_keys(*t, "rate_limits.", {"users_per_minute", "groups_per_minute", "apps_per_minute",
                                      "logs_per_minute", "other_per_minute", "token_per_client_per_minute",
                                      "auth_failures_per_client_per_minute",
                                      "auth_failures_per_address_per_minute",
                                      "introspection_inactive_per_client_per_minute", "enabled"});
    r.boolean(*t, "enabled", "rate_limits.", c.rate_limits.enabled);
    r.uint(*t, "users_per_minute", "rate_limits.", c.rate_limits.users_per_minute, 1);
    r.uint(*t, "groups_per_minute", "rate_limits.", c.rate_limits.groups_per_minute, 1);
    r.uint(*t, "apps_per_minute", "rate_limits.", c.rate_limits.apps_per_minute, 1);
    r.uint(*t, "logs_per_minute", "rate_limits.", c.rate_limits.logs_per_minute, 1);
    r.uint(*t, "other_per_minute", "rate_limits.", c.rate_limits.other_per_minute, 1);
    r.uint(*t, "token_per_client_per_minute", "rate_limits.", c.rate_limits.token_per_client_per_minute, 1);
    r.uint(*t, "auth_failures_per_client_per_minute", "rate_limits.",
           c.rate_limits.auth_failures_per_client_per_minute, 1);
    r.uint(*t, "auth_failures_per_address_per_minute", "rate_limits.",
           c.rate_limits.auth_failures_per_address_per_minute, 1);
    r.uint(*t, "introspection_inactive_per_client_per_minute", "rate_limits.",
           c.rate_limits.introspection_inactive_per_client_per_minute, 1);
  }
  if (auto* t = root["system_log"].as_table()) {
    r.check_keys(*t, "system_log.", {"retention_days", "token_events"});
    r.boolean(*t, "token_events", "system_log.", c.system_log.token_events);
    r.uint(*t, "retention_days", "system_log.", c.system_log.retention_days, 1);
  }
  if (auto* t = root["jwks_uri"].as_table()) {
    r.check_keys(*t, "jwks_uri.", {"allow_http_hosts", "timeout_seconds", "max_bytes"});
    r.strings(*t, "allow_http_hosts", "jwks_uri.", c.jwks_uri.allow_http_hosts);
    r.uint(*t, "timeout_seconds", "jwks_uri.", c.jwks_uri.timeout_seconds, 1);
    r.uint(*t, "max_bytes", "jwks_uri.", c.jwks_uri.max_bytes, 1024);
  }
  if (auto* t = root["console"].as_table()) {
    r.check_keys(*t, "console.", {"dir", "idle_timeout_minutes", "absolute_timeout_minutes",
                                  "sign_in_failures_per_account", "sign_in_failures_per_address"});
    r.str(*t, "dir", "console.", c.console.dir);
    r.uint(*t, "idle_timeout_minutes", "console.", c.console.idle_timeout_minutes, 1);
    r.uint(*t, "absolute_timeout_minutes", "console.", c.console.absolute_timeout_minutes, 1);
    r.uint(*t, "sign_in_failures_per_account", "console.", c.console.sign_in_failures_per_account, 1);
    r.uint(*t, "sign_in_failures_per_address", "console.", c.console.sign_in_failures_per_address, 1);
  }
  if (auto* t = root["tls"].as_table()) {
    r.check_keys(*t, "tls.", {"cert_file", "key_file"});
    r.str(*t, "cert_file", "tls.", c.tls.cert_file);
    r.str(*t, "key_file", "tls.", c.tls.key_file);
    if (c.tls.cert_file.empty() != c.tls.key_file.empty())
      r.issues.push_back({"tls", "cert_file and key_file go together: both, or neither"});
  }
  if (auto* t = root["metrics"].as_table()) {
    r.check_keys(*t, "metrics.", {"enabled", "token_file"});
    r.boolean(*t, "enabled", "metrics.", c.metrics.enabled);
    r.str(*t, "token_file", "metrics.", c.metrics.token_file);
  }
  if (!r.issues.empty()) return r.issues;
  return c;
}

}  // namespace gh::config
