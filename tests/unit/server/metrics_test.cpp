// /metrics (issue 18): bounded labels, the access rule, and the text exposition format.
#include "server/metrics.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace gh::server {
namespace {
using namespace std::chrono_literals;

TEST(MetricsRoutes, FamiliesNeverCarryIdsOrSlugs) {
  EXPECT_EQ(route_of("/api/v1/users/00u1abc/groups"), Route::api_users);
  EXPECT_EQ(route_of("/o/acme/api/v1/users"), Route::api_users);
  EXPECT_EQ(route_of("/api/v1/apps/0oa9/credentials/secrets"), Route::api_apps);
  EXPECT_EQ(route_of("/api/v1/api-tokens/current"), Route::api_tokens);
  EXPECT_EQ(route_of("/api/v1/logs"), Route::api_logs);
  EXPECT_EQ(route_of("/api/v1/authorizationServers/aus1/policies"), Route::api_authorization_servers);
  EXPECT_EQ(route_of("/api/v1/roles"), Route::api_other);
  EXPECT_EQ(route_of("/oauth2/default/v1/token"), Route::oauth_token);
  EXPECT_EQ(route_of("/o/acme/oauth2/v1/token"), Route::oauth_token);
  EXPECT_EQ(route_of("/oauth2/aus1/v1/introspect"), Route::oauth_introspect);
  EXPECT_EQ(route_of("/oauth2/v1/revoke"), Route::oauth_revoke);
  EXPECT_EQ(route_of("/oauth2/default/v1/keys"), Route::oauth_keys);
  EXPECT_EQ(route_of("/oauth2/default/.well-known/openid-configuration"), Route::oauth_metadata);
  EXPECT_EQ(route_of("/.well-known/oauth-authorization-server/o/acme"), Route::oauth_metadata);
  EXPECT_EQ(route_of("/oauth2/v1/clients/0oa1/roles"), Route::client_roles);
  EXPECT_EQ(route_of("/integrations/api/v1/submissions/abc"), Route::integrations);
  EXPECT_EQ(route_of("/o/x/integrations/logos/abc"), Route::integrations);
  EXPECT_EQ(route_of("/o/acme/admin/api/session"), Route::console);
  EXPECT_EQ(route_of("/admin/assets/index-1.js"), Route::console);
  EXPECT_EQ(route_of("/health/ready"), Route::health);
  EXPECT_EQ(route_of("/metrics"), Route::metrics);
  EXPECT_EQ(route_of("/o/acme/metrics"), Route::unknown);
  EXPECT_EQ(route_of("/anything/else"), Route::unknown);
  for (std::size_t r = 0; r < kRoutes; ++r) {  // labels are templates: no slug, no id
    auto l = route_label(static_cast<Route>(r));
    EXPECT_FALSE(l.empty());
    EXPECT_EQ(l.find("acme"), std::string_view::npos);
  }
}

TEST(MetricsTokens, GrantAndErrorFromClosedLists) {
  EXPECT_EQ(grant_of("grant_type=client_credentials&scope=a"), Grant::client_credentials);
  EXPECT_EQ(grant_of("scope=a&grant_type=client_credentials"), Grant::client_credentials);
  EXPECT_EQ(grant_of("scope=a&grant_type=password"), Grant::other);
  EXPECT_EQ(grant_of("xgrant_type=client_credentials"), Grant::none);
  EXPECT_EQ(grant_of(""), Grant::none);
  EXPECT_EQ(token_error_of(R"({"error":"invalid_client","error_description":"x"})"), TokenError::invalid_client);
  EXPECT_EQ(token_error_of(R"({"error":"use_dpop_nonce"})"), TokenError::use_dpop_nonce);
  EXPECT_EQ(token_error_of(R"({"error":"made_up_by_attacker"})"), TokenError::other);
  EXPECT_EQ(token_error_of("not json"), TokenError::other);
}

http::Request from(std::string addr, std::string_view authorization = {}) {
  http::Request r;
  r.path = "/metrics";
  r.remote_addr = std::move(addr);
  if (!authorization.empty()) r.headers.emplace_back("Authorization", authorization);
  return r;
}

TEST(MetricsAccessRule, OffLoopbackOrBearer) {
  MetricsAccess off;
  EXPECT_EQ(check_access(off, from("127.0.0.1")), AccessDecision::not_found);
  MetricsAccess loopback{true, ""};
  EXPECT_EQ(check_access(loopback, from("127.0.0.1")), AccessDecision::allowed);
  EXPECT_EQ(check_access(loopback, from("127.8.9.1")), AccessDecision::allowed);
  EXPECT_EQ(check_access(loopback, from("::1")), AccessDecision::allowed);
  EXPECT_EQ(check_access(loopback, from("::ffff:127.0.0.1")), AccessDecision::allowed);
  EXPECT_EQ(check_access(loopback, from("10.0.0.7")), AccessDecision::not_found);
  EXPECT_EQ(check_access(loopback, from("128.0.0.1")), AccessDecision::not_found);
  EXPECT_EQ(check_access(loopback, from("::ffff:10.0.0.1")), AccessDecision::not_found);
  MetricsAccess token{true, "0123456789abcdef-secret"};
  EXPECT_EQ(check_access(token, from("10.0.0.7", "Bearer 0123456789abcdef-secret")), AccessDecision::allowed);
  EXPECT_EQ(check_access(token, from("10.0.0.7", "bearer 0123456789abcdef-secret")), AccessDecision::allowed);
  EXPECT_EQ(check_access(token, from("127.0.0.1")), AccessDecision::unauthorized);  // the token, from anywhere
  EXPECT_EQ(check_access(token, from("10.0.0.7", "Bearer 0123456789abcdef-secreT")), AccessDecision::unauthorized);
  EXPECT_EQ(check_access(token, from("10.0.0.7", "Bearer 0123456789abcdef-secret ")), AccessDecision::unauthorized);
  EXPECT_EQ(check_access(token, from("10.0.0.7", "Basic 0123456789abcdef-secret")), AccessDecision::unauthorized);
  auto challenge = metrics_response(Metrics{}, AccessDecision::unauthorized);
  EXPECT_EQ(challenge.status, 401);
  EXPECT_EQ(challenge.body.find("secret"), std::string::npos);
}

TEST(MetricsText, CountsHistogramsAndFormat) {
  auto m = std::make_unique<Metrics>();
  m->record_request(Route::api_users, 200, 300us);
  m->record_request(Route::api_users, 200, 20ms);
  m->record_request(Route::oauth_token, 429, 50us);
  m->record_token(Grant::client_credentials, 200, R"({"access_token":"eyJ…"})");
  m->record_token(Grant::client_credentials, 401, R"({"error":"invalid_client"})");
  m->record_store(StoreOp::commit, 2ms, true);
  m->record_store(StoreOp::commit, 2ms, false);
  double size = 7;
  m->add_gauge("gatehouse_replay_cache_entries", "h", "cache=\"assertion\"", [&] { return size; });
  m->add_gauge("gatehouse_replay_cache_entries", "h", "cache=\"dpop-token\"", [] { return 0.0; });
  auto text = m->render();
  auto has = [&](const std::string& line) { return text.find(line + "\n") != std::string::npos; };
  EXPECT_TRUE(has(R"(gatehouse_http_requests_total{route="/api/v1/users",status="200"} 2)")) << text;
  EXPECT_TRUE(has(R"(gatehouse_rate_limited_total{route="/oauth2/*/v1/token"} 1)"));
  EXPECT_TRUE(has(R"(gatehouse_http_request_duration_seconds_bucket{route="/api/v1/users",le="0.0005"} 1)"));
  EXPECT_TRUE(has(R"(gatehouse_http_request_duration_seconds_bucket{route="/api/v1/users",le="0.025"} 2)"));
  EXPECT_TRUE(has(R"(gatehouse_http_request_duration_seconds_bucket{route="/api/v1/users",le="+Inf"} 2)"));
  EXPECT_TRUE(has(R"(gatehouse_http_request_duration_seconds_count{route="/api/v1/users"} 2)"));
  EXPECT_TRUE(has(R"(gatehouse_http_request_duration_seconds_sum{route="/api/v1/users"} 0.0203)"));
  EXPECT_TRUE(has(R"(gatehouse_tokens_issued_total{grant="client_credentials"} 1)"));
  EXPECT_TRUE(has(R"(gatehouse_tokens_refused_total{grant="client_credentials",error="invalid_client"} 1)"));
  EXPECT_TRUE(has(R"(gatehouse_store_duration_seconds_count{op="commit"} 2)"));
  EXPECT_TRUE(has(R"(gatehouse_store_errors_total{op="commit"} 1)"));
  EXPECT_TRUE(has(R"(gatehouse_replay_cache_entries{cache="assertion"} 7)"));
  EXPECT_EQ(text.find("eyJ"), std::string::npos);
  // Text format 0.0.4: each line a comment (# HELP/# TYPE, once per name) or `name{labels} value`.
  std::regex sample_re(R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*")*\})? [-+0-9.eInf]+$)re");
  std::istringstream in(text);
  std::string line;
  int types = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("# TYPE gatehouse_replay_cache_entries")) ++types;
    if (line.starts_with("# ")) continue;
    EXPECT_TRUE(std::regex_match(line, sample_re)) << line;
  }
  EXPECT_EQ(types, 1);
  size = 9;  // gauges are read when scraped
  EXPECT_NE(m->render().find("gatehouse_replay_cache_entries{cache=\"assertion\"} 9\n"), std::string::npos);
}

}  // namespace
}  // namespace gh::server
