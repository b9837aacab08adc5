#include "server/metrics.hpp"

#include <openssl/crypto.h>

#include <charconv>
#include <cmath>

namespace gh::server {
namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// The segment after "/api/v1/" (up to the next '/').
std::string_view api_resource(std::string_view path, std::size_t at) {
  auto rest = path.substr(at + 8);
  return rest.substr(0, rest.find('/'));
}

void append_number(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [end, _] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void append_double(std::string& out, double v) {
  if (std::isinf(v)) {
    out.append(v > 0 ? "+Inf" : "-Inf");
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);  // 0.0001, not 1e-04
  if (res.ec != std::errc{}) res = std::to_chars(buf, buf + sizeof buf, v);
  auto end = res.ptr;
  out.append(buf, end);
}

void head(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t v) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ");
  append_number(out, v);
  out.append("\n");
}

std::string label(std::string_view k, std::string_view v) {
  return std::string(k) + "=\"" + std::string(v) + "\"";
}
}  // namespace

Route route_of(std::string_view path) {
  if (path.starts_with("/health/")) return Route::health;
  if (path == "/metrics") return Route::metrics;
  if (contains(path, "/integrations/api/v1/") || contains(path, "/integrations/logos/"))
    return Route::integrations;  // OIN submissions, installs, logos (issue 15)
  if (contains(path, "/oauth2/v1/clients/")) return Route::client_roles;
  if (auto at = path.find("/api/v1/"); at != std::string_view::npos && !contains(path.substr(0, at), "/admin")) {
    auto r = api_resource(path, at);
    if (r == "users") return Route::api_users;
    if (r == "groups") return Route::api_groups;
    if (r == "apps") return Route::api_apps;
    if (r == "api-tokens") return Route::api_tokens;
    if (r == "logs") return Route::api_logs;
    if (r == "authorizationServers") return Route::api_authorization_servers;
    if (r == "orgs") return Route::api_orgs;
    return Route::api_other;
  }
  if (path.ends_with("/api/v1")) return Route::api_other;
  if (contains(path, "/oauth2/") || path.starts_with("/.well-known/")) {
    if (path.ends_with("/v1/token")) return Route::oauth_token;
    if (path.ends_with("/v1/introspect")) return Route::oauth_introspect;
    if (path.ends_with("/v1/revoke")) return Route::oauth_revoke;
    if (path.ends_with("/v1/keys")) return Route::oauth_keys;
    if (contains(path, "/.well-known/")) return Route::oauth_metadata;
    return Route::oauth_other;
  }
  if (path.ends_with("/admin") || contains(path, "/admin/")) return Route::console;
  return Route::unknown;
}

std::string_view route_label(Route r) {
  static constexpr std::array<std::string_view, kRoutes> kNames{
      "/health/*", "/metrics", "/api/v1/users", "/api/v1/groups", "/api/v1/apps", "/api/v1/api-tokens",
      "/api/v1/logs", "/api/v1/authorizationServers", "/api/v1/orgs", "/api/v1/*", "/integrations/*",
      "/oauth2/v1/clients/*", "/oauth2/*/v1/token", "/oauth2/*/v1/introspect", "/oauth2/*/v1/revoke",
      "/oauth2/*/v1/keys", "/.well-known/*", "/oauth2/*", "/admin/*", "unknown", "transport"};
  return kNames[static_cast<std::size_t>(r)];
}

Grant grant_of(std::string_view body) {
  // RFC 6749 §4.4.2: grant_type, form-encoded; a repeated parameter is refused anyway.
  std::size_t at = 0;
  for (;;) {
    at = body.find("grant_type=", at);
    if (at == std::string_view::npos) return Grant::none;
    if (at == 0 || body[at - 1] == '&') break;
    ++at;
  }
  auto v = body.substr(at + 11);
  v = v.substr(0, v.find('&'));
  return v == "client_credentials" ? Grant::client_credentials : Grant::other;
}

std::string_view grant_label(Grant g) {
  static constexpr std::array<std::string_view, kGrants> kNames{"client_credentials", "other", "none"};
  return kNames[static_cast<std::size_t>(g)];
}

TokenError token_error_of(std::string_view body) {
  // oauth::render writes {"error":"…",…} (RFC 6749 §5.2).
  constexpr std::string_view kKey = "\"error\":\"";
  auto at = body.find(kKey);
  if (at == std::string_view::npos) return TokenError::other;
  auto v = body.substr(at + kKey.size());
  v = v.substr(0, v.find('"'));
  for (std::size_t i = 0; i + 1 < kTokenErrors; ++i)
    if (token_error_label(static_cast<TokenError>(i)) == v) return static_cast<TokenError>(i);
  return TokenError::other;
}

std::string_view token_error_label(TokenError e) {
  static constexpr std::array<std::string_view, kTokenErrors> kNames{
      "invalid_request", "invalid_client",     "invalid_grant",   "unauthorized_client",
      "unsupported_grant_type", "invalid_scope", "invalid_dpop_proof", "use_dpop_nonce",
      "access_denied",   "too_many_requests",  "server_error",    "other"};
  return kNames[static_cast<std::size_t>(e)];
}

bool is_loopback(std::string_view a) {
  return a.starts_with("127.") || a == "::1" || a.starts_with("::ffff:127.");
}

AccessDecision check_access(const MetricsAccess& access, const http::Request& req) {
  if (!access.enabled) return AccessDecision::not_found;
  if (access.token.empty()) return is_loopback(req.remote_addr) ? AccessDecision::allowed : AccessDecision::not_found;
  // RFC 6750 §2.1: Authorization: Bearer <token>; compared in constant time.
  auto h = req.header("authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (h.size() != kScheme.size() + access.token.size()) return AccessDecision::unauthorized;
  bool scheme = true;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    scheme &= (h[i] | 0x20) == (kScheme[i] | 0x20);
  bool same = CRYPTO_memcmp(h.data() + kScheme.size(), access.token.data(), access.token.size()) == 0;
  return scheme && same ? AccessDecision::allowed : AccessDecision::unauthorized;
}

void Histogram::observe(std::chrono::nanoseconds took) noexcept {
  auto ns = static_cast<std::uint64_t>(took.count() < 0 ? 0 : took.count());
  double s = static_cast<double>(ns) / 1e9;
  std::size_t i = 0;
  while (i < kBuckets.size() && s > kBuckets[i]) ++i;
  buckets_[i].fetch_add(1, kRelaxed);
  sum_ns_.fetch_add(ns, kRelaxed);
  count_.fetch_add(1, kRelaxed);
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
  std::uint64_t cumulative = 0;
  std::string sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i <= kBuckets.size(); ++i) {
    cumulative += buckets_[i].load(kRelaxed);
    out.append(name).append("_bucket{").append(labels).append(sep).append("le=\"");
    append_double(out, i < kBuckets.size() ? kBuckets[i] : INFINITY);
    out.append("\"} ");
    append_number(out, cumulative);
    out.append("\n");
  }
  out.append(name).append("_sum");
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ");
  append_double(out, static_cast<double>(sum_ns_.load(kRelaxed)) / 1e9);
  out.append("\n");
  // _count is the +Inf bucket's value, read once above (consistent within the scrape).
  sample(out, std::string(name) + "_count", labels, cumulative);
}

void Metrics::record_request(Route r, int status, std::chrono::nanoseconds took) noexcept {
  auto& s = routes_[static_cast<std::size_t>(r)];
  if (status < kMinStatus || status > kMaxStatus) status = 500;
  s.by_status[static_cast<std::size_t>(status - kMinStatus)].fetch_add(1, kRelaxed);
  s.latency.observe(took);
}

void Metrics::record_token(Grant g, int status, std::string_view body) noexcept {
  auto gi = static_cast<std::size_t>(g);
  if (status == 200) issued_[gi].fetch_add(1, kRelaxed);
  else refused_[gi][static_cast<std::size_t>(token_error_of(body))].fetch_add(1, kRelaxed);
}

void Metrics::record_store(StoreOp op, std::chrono::nanoseconds took, bool ok) noexcept {
  store_[static_cast<std::size_t>(op)].observe(took);
  if (!ok) store_errors_[static_cast<std::size_t>(op)].fetch_add(1, kRelaxed);
}

void Metrics::add_gauge(std::string name, std::string help, std::string labels, std::function<double()> read) {
  gauges_.push_back({std::move(name), std::move(help), std::move(labels), std::move(read)});
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(16 * 1024);
  constexpr std::string_view kRequests = "gatehouse_http_requests_total";
  head(out, kRequests, "counter", "Answered HTTP requests by route family and status.");
  for (std::size_t r = 0; r < kRoutes; ++r)
    for (std::size_t i = 0; i < routes_[r].by_status.size(); ++i)
      if (auto v = routes_[r].by_status[i].load(kRelaxed))
        sample(out, kRequests,
               label("route", route_label(static_cast<Route>(r))) + "," + label("status", std::to_string(i + kMinStatus)),
               v);
  constexpr std::string_view kLimited = "gatehouse_rate_limited_total";
  head(out, kLimited, "counter", "Requests refused with 429 (rate limits and throttles) by route family.");
  for (std::size_t r = 0; r < kRoutes; ++r)
    if (auto v = routes_[r].by_status[429 - kMinStatus].load(kRelaxed))
      sample(out, kLimited, label("route", route_label(static_cast<Route>(r))), v);
  constexpr std::string_view kLatency = "gatehouse_http_request_duration_seconds";
  head(out, kLatency, "histogram", "Time to answer a request (handling, not network I/O) by route family.");
  for (std::size_t r = 0; r < kRoutes; ++r)
    if (routes_[r].latency.count()) routes_[r].latency.render(out, kLatency, label("route", route_label(static_cast<Route>(r))));
  constexpr std::string_view kIssued = "gatehouse_tokens_issued_total";
  head(out, kIssued, "counter", "Access tokens issued by grant type.");
  for (std::size_t g = 0; g < kGrants; ++g)
    sample(out, kIssued, label("grant", grant_label(static_cast<Grant>(g))), issued_[g].load(kRelaxed));
  constexpr std::string_view kRefused = "gatehouse_tokens_refused_total";
  head(out, kRefused, "counter", "Token requests refused by grant type and OAuth error code.");
  for (std::size_t g = 0; g < kGrants; ++g)
    for (std::size_t e = 0; e < kTokenErrors; ++e)
      if (auto v = refused_[g][e].load(kRelaxed))
        sample(out, kRefused,
               label("grant", grant_label(static_cast<Grant>(g))) + "," +
                   label("error", token_error_label(static_cast<TokenError>(e))),
               v);
  static constexpr std::array<std::string_view, kStoreOps> kOps{"commit", "events"};
  constexpr std::string_view kStore = "gatehouse_store_duration_seconds";
  head(out, kStore, "histogram", "Durable store writes: commits of changes and System Log flushes.");
  for (std::size_t o = 0; o < kStoreOps; ++o) store_[o].render(out, kStore, label("op", kOps[o]));
  constexpr std::string_view kStoreErrors = "gatehouse_store_errors_total";
  head(out, kStoreErrors, "counter", "Durable store writes that failed.");
  for (std::size_t o = 0; o < kStoreOps; ++o) sample(out, kStoreErrors, label("op", kOps[o]), store_errors_[o].load(kRelaxed));
  std::string_view last;
  for (auto& g : gauges_) {
    if (g.name != last) head(out, g.name, "gauge", g.help);
    last = g.name;
    out.append(g.name);
    if (!g.labels.empty()) out.append("{").append(g.labels).append("}");
    out.append(" ");
    append_double(out, g.read());
    out.append("\n");
  }
  return out;
}

http::Response metrics_response(const Metrics& m, AccessDecision d) {
  if (d == AccessDecision::unauthorized) {
    auto r = http::Response::json(401, R"({"error":"invalid_token"})");
    r.set("WWW-Authenticate", R"(Bearer realm="metrics", error="invalid_token")");  // RFC 6750 §3
    return r;
  }
  http::Response r;
  r.status = 200;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.set("Cache-Control", "no-store");
  r.body = m.render();
  return r;
}

}  // namespace gh::server
