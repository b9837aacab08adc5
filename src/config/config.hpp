#pragma once
// Gatehouse's configuration: TOML file, then command-line flags. Every key is documented in
// README.md ("Configuration"). Immutable once loaded.
#include <string>
#include <variant>
#include <vector>

namespace gh::config {

struct Limits {
  unsigned header_bytes = 16 * 1024;     // request line + header fields (okta-compat.md §11.7)
  unsigned header_fields = 100;          // §11.7
  unsigned api_body_bytes = 1024 * 1024; // /api/v1 bodies (§11.7)
  unsigned oauth_body_bytes = 64 * 1024; // OAuth endpoint bodies (§11.7)
  unsigned json_depth = 64;              // §11.7
  unsigned max_connections = 10000;
  unsigned max_connections_per_address = 1000;  // issue 19: one peer cannot hold every slot
  unsigned header_timeout_seconds = 15;  // idle keep-alive and header read
  unsigned body_timeout_seconds = 30;
};

struct Tokens {
  unsigned api_token_idle_days = 30;     // tokenWindow: expiry after this long unused
  unsigned last_used_flush_seconds = 5;  // lastUsed is written in batches at this interval
};

struct RateLimits {  // requests per org per minute, per endpoint family (okta-compat.md §11.30)
  unsigned users_per_minute = 1200;
  unsigned groups_per_minute = 1200;
  unsigned apps_per_minute = 1200;
  unsigned logs_per_minute = 1200;
  unsigned other_per_minute = 1200;
  unsigned token_per_client_per_minute = 600;            // token requests per client
  unsigned auth_failures_per_client_per_minute = 150;    // failed client authentications → 429
  unsigned auth_failures_per_address_per_minute = 250;   // the same, per source address (and §11.31)
  unsigned introspection_inactive_per_client_per_minute = 250;  // §11.32: then 429 for the minute
  // false: no request is counted or refused (a deployment behind its own limiter; the
  // benchmark's measure of what limiting costs). Failed-authentication throttling stays on.
  bool enabled = true;
};

struct SystemLog {  // the System Log, /api/v1/logs (issue #4)
  unsigned retention_days = 90;          // events older than this are pruned in the background
  bool token_events = true;              // false: token issued/refused events are not recorded
};

struct JwksUri {  // fetching a private_key_jwt client's jwks_uri (okta-compat.md §11.23)
  std::vector<std::string> allow_http_hosts;  // host names that may use http:// (else https only)
  unsigned timeout_seconds = 2;               // DNS + connect + TLS + response, per fetch (STYLE.md §3: 2 s)
  unsigned max_bytes = 64 * 1024;             // response body limit
};

struct Console {  // the admin console at ORG/admin/ (issue 17)
  std::string dir;                          // its built files; "" = console/ next to the binary or ../console/dist
  unsigned idle_timeout_minutes = 15;       // a session unused this long ends
  unsigned absolute_timeout_minutes = 480;  // a session ends this long after sign-in, used or not
  unsigned sign_in_failures_per_account = 5;   // failed sign-ins per login per 15 minutes, then 429
  unsigned sign_in_failures_per_address = 20;  // the same per client address
};

struct Tls {  // TLS built in (issue 19): both files, or neither (plain HTTP)
  std::string cert_file;  // PEM certificate chain, leaf first
  std::string key_file;   // PEM private key of the leaf; mode 0600 or 0400
};

struct Metrics {  // Prometheus text at /metrics (issue 18; docs/deployment.md "Metrics")
  bool enabled = false;    // off: /metrics is an unknown path (404)
  std::string token_file;  // "": loopback peers only; else Bearer <the file's first line>, from anywhere
};

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string base_url;  // empty: http:// + the bound address
  unsigned threads = 0;  // I/O threads; 0 = one per core
  unsigned outbound_threads = 2;  // threads that may wait on outbound I/O (jwks_uri fetches)
  std::string log_level = "info";
  std::string log_format = "text";  // "json": one JSON object per log line
  // Where durable state lives: empty, SQLite in the data directory; postgresql://… (or
  // postgres://…), that PostgreSQL database (issue 18). The master key stays in the data directory.
  std::string store;
  Limits limits;
  Tokens tokens;
  RateLimits rate_limits;
  SystemLog system_log;
  JwksUri jwks_uri;
  Console console;
  Tls tls;
  Metrics metrics;
};

struct ConfigIssue {
  std::string key;
  std::string message;
};

// Loads `path` over the defaults; unknown keys and bad values are issues, not silently ignored.
std::variant<Config, std::vector<ConfigIssue>> load_file(const std::string& path);

}  // namespace gh::config
