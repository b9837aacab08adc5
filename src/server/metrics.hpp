#pragma once
// Prometheus metrics at /metrics (text exposition format 0.0.4; docs/deployment.md "Metrics").
// Every series of the request path is pre-registered: a request adds to a few relaxed atomics
// picked by index (route family, status, bucket), with no lock and no allocation. Labels come
// from fixed sets only (route families, never raw paths with ids or org slugs; OAuth error
// codes and grants from closed lists), so the number of series is bounded. Gauges (cache sizes,
// orgs and tokens in the model) are read when scraped, never on the request path.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace gh::server {

// Route families: the `route` label. A bounded set of templates, never a raw path.
enum class Route : std::uint8_t {
  health, metrics, api_users, api_groups, api_apps, api_tokens, api_logs, api_authorization_servers, api_orgs,
  api_other, integrations, client_roles, oauth_token, oauth_introspect, oauth_revoke, oauth_keys, oauth_metadata,
  oauth_other, console, unknown, transport, count_
};
inline constexpr std::size_t kRoutes = static_cast<std::size_t>(Route::count_);
// The family of a request path as received (with the base path and /o/{slug}, if any).
Route route_of(std::string_view path);
std::string_view route_label(Route r);

// The `grant` label of a token request: its form body's grant_type, from a closed list.
enum class Grant : std::uint8_t { client_credentials, other, none, count_ };
inline constexpr std::size_t kGrants = static_cast<std::size_t>(Grant::count_);
Grant grant_of(std::string_view form_body);
std::string_view grant_label(Grant g);

// The `error` label of a refused token request: the RFC 6749 §5.2 / RFC 9449 §7 `error` of its
// JSON answer, from a closed list ("other" for anything else).
enum class TokenError : std::uint8_t {
  invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope,
  invalid_dpop_proof, use_dpop_nonce, access_denied, too_many_requests, server_error, other, count_
};
inline constexpr std::size_t kTokenErrors = static_cast<std::size_t>(TokenError::count_);
TokenError token_error_of(std::string_view json_body);
std::string_view token_error_label(TokenError e);

// Timed store operations: `commit` (model::commit_and_apply: every durable change of a request
// or job) and `events` (a flush of queued System Log events).
enum class StoreOp : std::uint8_t { commit, events, count_ };
inline constexpr std::size_t kStoreOps = static_cast<std::size_t>(StoreOp::count_);

// Who may read /metrics ([metrics] in the configuration).
struct MetricsAccess {
  bool enabled = false;  // off: /metrics answers 404 like any unknown path
  std::string token;     // non-empty: `Authorization: Bearer <token>` required, from any address
};
enum class AccessDecision { allowed, not_found, unauthorized };
// Off → not_found. With a token: the exact bearer token (constant time) → allowed, else
// unauthorized. Without one: loopback peers (127.0.0.0/8, ::1) only, others not_found.
AccessDecision check_access(const MetricsAccess& access, const http::Request& req);
bool is_loopback(std::string_view address);

// Latency buckets, seconds (the histogram's `le`; +Inf implied).
inline constexpr std::array<double, 15> kBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                 0.05,   0.1,     0.25,   0.5,   1,      2.5,    5};

class Histogram {
 public:
  void observe(std::chrono::nanoseconds took) noexcept;
  // Appends the _bucket, _sum and _count lines of `name` with `labels` ("k=\"v\"", may be empty).
  void render(std::string& out, std::string_view name, std::string_view labels) const;
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets_{};  // per bucket, not cumulative
  std::atomic<std::uint64_t> sum_ns_{0}, count_{0};
};

class Metrics {
 public:
  // One answered request: its family, status and time in Gateway::handle.
  void record_request(Route r, int status, std::chrono::nanoseconds took) noexcept;
  // One answered token request (POST …/v1/token): issued on 200, else refused by its error.
  void record_token(Grant g, int status, std::string_view response_body) noexcept;
  void record_store(StoreOp op, std::chrono::nanoseconds took, bool ok) noexcept;

  // A gauge read when scraped. Call at start-up only (before requests); series of one name must
  // be added one after the other. `labels` is "k=\"v\",…" or empty.
  void add_gauge(std::string name, std::string help, std::string labels, std::function<double()> read);

  std::string render() const;

 private:
  static constexpr int kMinStatus = 100, kMaxStatus = 599;
  struct alignas(64) RouteStats {
    std::array<std::atomic<std::uint64_t>, kMaxStatus - kMinStatus + 1> by_status{};
    Histogram latency;
  };
  struct Gauge {
    std::string name, help, labels;
    std::function<double()> read;
  };
  std::array<RouteStats, kRoutes> routes_{};
  std::array<std::atomic<std::uint64_t>, kGrants> issued_{};
  std::array<std::array<std::atomic<std::uint64_t>, kTokenErrors>, kGrants> refused_{};
  std::array<Histogram, kStoreOps> store_{};
  std::array<std::atomic<std::uint64_t>, kStoreOps> store_errors_{};
  std::vector<Gauge> gauges_;
};

// The answer to GET /metrics after check_access: 200 text/plain; version=0.0.4, 401 with a
// Bearer challenge (RFC 6750 §3), or the caller's 404.
http::Response metrics_response(const Metrics& m, AccessDecision d);

}  // namespace gh::server
