// TokenClient: cache, single-flight refresh, retries and their timing, client authentication,
// DPoP nonces and discovery, against a fake transport and a fake clock.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <thread>

#include "core/base64.hpp"
#include "gatehouse/client/keys.hpp"
#include "gatehouse/client/token_client.hpp"
#include "jose/jws.hpp"
#include "unit/sdk/fake_transport.hpp"

namespace gh::sdk {
namespace {
using namespace std::chrono;
using testing::FakeSleeper;
using testing::FakeTransport;
using testing::form_value;
using testing::json_response;

constexpr auto kEndpoint = "https://as.example/oauth2/v1/token";

struct SdkTokenClient : ::testing::Test {
  core::FakeClock clock{core::from_epoch_ms(1'700'000'000'000)};
  FakeSleeper sleeper{clock};
  core::SeededRandom random{7};

  std::unique_ptr<TokenClient> make(std::shared_ptr<Transport> t, TokenClientOptions o = {}) {
    if (o.client_id.empty()) o.client_id = "0oaclient";
    if (o.token_endpoint.empty() && o.issuer.empty()) o.token_endpoint = kEndpoint;
    if (o.method == AuthMethod::private_key_jwt && !o.private_key) o.method = AuthMethod::client_secret_basic;
    if (o.client_secret.empty()) o.client_secret = core::SecretString("s3cret+/=");
    auto c = TokenClient::create(std::move(o), Deps{std::move(t), &clock, &sleeper, &random});
    EXPECT_TRUE(c) << (c ? "" : c.error().message());
    return std::move(*c);
  }
};

HttpResponse token_ok(int n = 1, int expires_in = 3600, std::string type = "Bearer") {
  return json_response(200, R"({"access_token":"at-)" + std::to_string(n) + R"(","token_type":")" + type +
                                R"(","expires_in":)" + std::to_string(expires_in) + R"(,"scope":"a b"})");
}

TEST_F(SdkTokenClient, CachesTheTokenUntilShortlyBeforeItExpires) {
  auto t = std::make_shared<FakeTransport>([n = 0](const HttpRequest&) mutable { return token_ok(++n, 600); });
  auto c = make(t);
  EXPECT_EQ(c->token()->value.reveal(), "at-1");
  EXPECT_EQ(c->token()->value.reveal(), "at-1");
  EXPECT_EQ(c->requests_sent(), 1);
  clock.advance(seconds(600 - 61));  // still 61 s left: refresh_before is 60 s
  EXPECT_EQ(c->token()->value.reveal(), "at-1");
  clock.advance(seconds(2));  // 59 s left
  EXPECT_EQ(c->token()->value.reveal(), "at-2");
  EXPECT_EQ(c->requests_sent(), 2);
  c->invalidate();
  EXPECT_EQ(c->token()->value.reveal(), "at-3");
}

TEST_F(SdkTokenClient, ManyThreadsShareOneTokenRequest) {
  std::atomic<int> calls = 0;
  auto t = std::make_shared<FakeTransport>([&](const HttpRequest&) {
    ++calls;
    std::this_thread::sleep_for(milliseconds(150));  // long enough for every thread to queue up
    return token_ok(calls);
  });
  auto c = make(t);
  std::vector<std::thread> threads;
  std::vector<std::string> got(16);
  for (int i = 0; i < 16; ++i)
    threads.emplace_back([&, i] { got[i] = std::string(c->token()->value.reveal()); });
  for (auto& th : threads) th.join();
  EXPECT_EQ(calls.load(), 1);
  for (auto& g : got) EXPECT_EQ(g, "at-1");
}

TEST_F(SdkTokenClient, WhileOneThreadRenewsOthersKeepTheUnexpiredToken) {
  std::atomic<int> calls = 0;
  std::atomic<bool> renewing = false;
  auto t = std::make_shared<FakeTransport>([&](const HttpRequest&) {
    if (++calls == 2) {
      renewing = true;
      std::this_thread::sleep_for(milliseconds(300));
    }
    return token_ok(calls, 600);
  });
  auto c = make(t);
  ASSERT_EQ(c->token()->value.reveal(), "at-1");
  clock.advance(seconds(560));  // 40 s left: inside the 60 s renewal margin
  std::thread renewer([&] { EXPECT_EQ(c->token()->value.reveal(), "at-2"); });
  while (!renewing) std::this_thread::yield();
  auto start = steady_clock::now();
  EXPECT_EQ(c->token()->value.reveal(), "at-1");  // not blocked behind the renewal
  EXPECT_LT(steady_clock::now() - start, milliseconds(200));
  renewer.join();
  EXPECT_EQ(c->token()->value.reveal(), "at-2");
  EXPECT_EQ(calls.load(), 2);
}

TEST_F(SdkTokenClient, WaitersShareTheFailureOfTheOneRequest) {
  std::atomic<int> calls = 0;
  auto t = std::make_shared<FakeTransport>([&](const HttpRequest&) {
    ++calls;
    std::this_thread::sleep_for(milliseconds(100));
    return json_response(401, R"({"error":"invalid_client","error_description":"bad"})");
  });
  auto c = make(t);
  std::vector<std::thread> threads;
  std::atomic<int> failed = 0;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      auto r = c->token();
      if (!r && r.error().code == Errc::oauth_error && r.error().status == 401) ++failed;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(failed.load(), 8);
}

TEST_F(SdkTokenClient, RetriesHonourRetryAfterThenBackOffExponentially) {
  int n = 0;
  auto t = std::make_shared<FakeTransport>([&](const HttpRequest&) {
    ++n;
    if (n == 1) return json_response(429, "{}", {{"Retry-After", "7"}});
    if (n == 2) return json_response(503, "{}");
    if (n == 3) return json_response(500, "{}");
    return token_ok();
  });
  auto c = make(t);
  auto tok = c->token();
  ASSERT_TRUE(tok);
  // 7 s from Retry-After; then 500 ms doubled per attempt (attempts 2 and 3: 1 s, 2 s).
  EXPECT_EQ(sleeper.slept, (std::vector<milliseconds>{seconds(7), milliseconds(1000), milliseconds(2000)}));
  EXPECT_EQ(n, 4);
}

TEST_F(SdkTokenClient, RetryWaitsUntilXRateLimitResetMeasuredOnTheServersDate) {
  int n = 0;
  auto t = std::make_shared<FakeTransport>([&](const HttpRequest&) {
    if (++n == 1)
      // Server clock 1700000000 (Tue, 14 Nov 2023 22:13:20 GMT); reset 12 s later.
      return json_response(429, "{}", {{"Date", "Tue, 14 Nov 2023 22:13:20 GMT"},
                                       {"X-Rate-Limit-Reset", "1700000012"}});
    return token_ok();
  });
  auto c = make(t);
  clock.advance(seconds(100));  // our clock is ahead of the server's: its Date counts
  ASSERT_TRUE(c->token());
  EXPECT_EQ(sleeper.slept, (std::vector<milliseconds>{seconds(12)}));
}

TEST_F(SdkTokenClient, RetriesAreBoundedAndClientErrorsAreNotRetried) {
  auto t = std::make_shared<FakeTransport>([](const HttpRequest&) { return json_response(502, "{}"); });
  TokenClientOptions o;
  o.max_attempts = 3;
  auto c = make(t, std::move(o));
  auto r = c->token();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::http_status));
  EXPECT_EQ(r.error().status, 502);
  EXPECT_EQ(t->sent().size(), 3u);
  EXPECT_EQ(sleeper.slept.size(), 2u);

  auto t2 = std::make_shared<FakeTransport>([](const HttpRequest&) {
    return json_response(400, R"({"error":"invalid_scope","error_description":"nope"})");
  });
  auto c2 = make(t2);
  auto r2 = c2->token();
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().detail, "invalid_scope: nope");
  EXPECT_EQ(t2->sent().size(), 1u);
}

TEST_F(SdkTokenClient, ClientSecretBasicAndPost) {
  auto t = std::make_shared<FakeTransport>([](const HttpRequest&) { return token_ok(); });
  TokenClientOptions o;
  o.scopes = {"okta.apps.read", "okta.users.read"};
  auto c = make(t, std::move(o));
  ASSERT_TRUE(c->token());
  auto req = t->sent().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(form_value(req.body, "scope"), "okta.apps.read+okta.users.read");
  EXPECT_EQ(form_value(req.body, "client_secret"), "");
  // RFC 6749 §2.3.1: the secret is form-encoded before base64.
  std::string auth;
  for (auto& [k, v] : req.headers)
    if (k == "Authorization") auth = v;
  EXPECT_EQ(auth, "Basic " + core::base64_encode("0oaclient:s3cret%2B%2F%3D"));

  auto t2 = std::make_shared<FakeTransport>([](const HttpRequest&) { return token_ok(); });
  TokenClientOptions p;
  p.method = AuthMethod::client_secret_post;
  auto c2 = make(t2, std::move(p));
  ASSERT_TRUE(c2->token());
  auto r2 = t2->sent().at(0);
  EXPECT_EQ(form_value(r2.body, "client_id"), "0oaclient");
  EXPECT_EQ(form_value(r2.body, "client_secret"), "s3cret%2B%2F%3D");
}

TEST_F(SdkTokenClient, PrivateKeyJwtAssertionFollowsRfc7523) {
  auto key = generate_key(false, "k1");
  ASSERT_TRUE(key);
  auto t = std::make_shared<FakeTransport>([](const HttpRequest&) { return token_ok(); });
  TokenClientOptions o;
  o.method = AuthMethod::private_key_jwt;
  o.private_key = *key;
  auto c = make(t, std::move(o));
  ASSERT_TRUE(c->token());
  auto body = t->sent().at(0).body;
  EXPECT_EQ(form_value(body, "client_assertion_type"),
            "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer");
  auto verified = jose::verify(form_value(body, "client_assertion"), *key, jose::Alg::ES256);
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->header.at("kid").as_string(), "k1");
  auto claims = boost::json::parse(verified->payload).as_object();
  EXPECT_EQ(claims.at("iss").as_string(), "0oaclient");
  EXPECT_EQ(claims.at("sub").as_string(), "0oaclient");
  EXPECT_EQ(claims.at("aud").as_string(), kEndpoint);
  EXPECT_FALSE(claims.at("jti").as_string().empty());
  auto iat = claims.at("iat").as_int64();
  EXPECT_EQ(iat, 1'700'000'000);
  EXPECT_GT(claims.at("exp").as_int64(), iat);
  EXPECT_LE(claims.at("exp").as_int64() - iat, 3600);  // okta-compat.md §4
}

TEST_F(SdkTokenClient, DpopRetriesOnceWithTheServersNonce) {
  auto key = generate_key(false);
  ASSERT_TRUE(key);
  int n = 0;
  auto t = std::make_shared<FakeTransport>([&](const HttpRequest&) {
    if (++n <= 2)
      return json_response(400, R"({"error":"use_dpop_nonce","error_description":"x"})",
                           {{"DPoP-Nonce", "nonce-" + std::to_string(n)}});
    return token_ok(1, 3600, "DPoP");
  });
  TokenClientOptions o;
  o.dpop_key = *key;
  auto c = make(t, std::move(o));
  auto r = c->token();  // nonce-1 once, then the second use_dpop_nonce is final
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::oauth_error));
  auto sent = t->sent();
  ASSERT_EQ(sent.size(), 2u);
  auto proof_of = [](const HttpRequest& q) {
    for (auto& [k, v] : q.headers)
      if (k == "DPoP") return v;
    return std::string();
  };
  auto p1 = jose::decode(proof_of(sent[0]));
  auto p2 = jose::decode(proof_of(sent[1]));
  ASSERT_TRUE(p1 && p2);
  EXPECT_EQ(p1->header.at("typ").as_string(), "dpop+jwt");
  auto c1 = boost::json::parse(p1->payload).as_object();
  auto c2 = boost::json::parse(p2->payload).as_object();
  EXPECT_FALSE(c1.contains("nonce"));
  EXPECT_EQ(c2.at("nonce").as_string(), "nonce-1");
  EXPECT_EQ(c2.at("htm").as_string(), "POST");
  EXPECT_EQ(c2.at("htu").as_string(), kEndpoint);
  EXPECT_NE(c1.at("jti"), c2.at("jti"));
  // The next token request starts with the latest nonce and succeeds.
  ASSERT_TRUE(c->token());
  auto c3 = boost::json::parse(jose::decode(proof_of(t->sent().at(2)))->payload).as_object();
  EXPECT_EQ(c3.at("nonce").as_string(), "nonce-2");
}

TEST_F(SdkTokenClient, CallsCarryADpopProofBoundToTheToken) {
  auto key = generate_key(false);
  ASSERT_TRUE(key);
  auto t = std::make_shared<FakeTransport>([&](const HttpRequest& r) {
    if (r.url == kEndpoint) return token_ok(1, 3600, "DPoP");
    return json_response(200, "[]");
  });
  TokenClientOptions o;
  o.dpop_key = *key;
  auto c = make(t, std::move(o));
  auto res = c->call({"GET", "https://rs.example/api/v1/groups?limit=2", {}, {}});
  ASSERT_TRUE(res);
  auto req = t->sent().at(1);
  std::string auth, proof;
  for (auto& [k, v] : req.headers) {
    if (k == "Authorization") auth = v;
    if (k == "DPoP") proof = v;
  }
  EXPECT_EQ(auth, "DPoP at-1");
  auto claims = boost::json::parse(jose::decode(proof)->payload).as_object();
  EXPECT_EQ(claims.at("htu").as_string(), "https://rs.example/api/v1/groups");  // no query
  EXPECT_EQ(claims.at("htm").as_string(), "GET");
  EXPECT_EQ(claims.at("ath").as_string(), sha256_b64url("at-1"));
}

TEST_F(SdkTokenClient, DiscoveryInsertsTheWellKnownSegmentAndChecksTheIssuer) {
  auto t = std::make_shared<FakeTransport>([](const HttpRequest& r) {
    if (r.url == "https://as.example/.well-known/oauth-authorization-server/oauth2/default")
      return json_response(200, R"({"issuer":"https://as.example/oauth2/default","token_endpoint":"https://as.example/oauth2/default/v1/token"})");
    if (r.url == "https://as.example/oauth2/default/v1/token") return token_ok();
    return json_response(404, "{}");
  });
  TokenClientOptions o;
  o.issuer = "https://as.example/oauth2/default";
  auto c = make(t, std::move(o));
  ASSERT_TRUE(c->token());
  EXPECT_EQ(c->token_endpoint(), "https://as.example/oauth2/default/v1/token");

  auto liar = std::make_shared<FakeTransport>([](const HttpRequest&) {
    return json_response(200, R"({"issuer":"https://evil.example","token_endpoint":"https://evil.example/t"})");
  });
  auto md = discover(*liar, "https://as.example");
  ASSERT_FALSE(md);
  EXPECT_EQ(md.error().code, make_error_code(Errc::discovery_failed));

  auto oidc = std::make_shared<FakeTransport>([](const HttpRequest& r) {
    if (r.url == "https://as.example/.well-known/openid-configuration")
      return json_response(200, R"({"issuer":"https://as.example","token_endpoint":"https://as.example/token","jwks_uri":"https://as.example/jwks"})");
    return json_response(404, "{}");
  });
  auto md2 = discover(*oidc, "https://as.example");
  ASSERT_TRUE(md2);
  EXPECT_EQ(md2->jwks_uri, "https://as.example/jwks");
}

TEST(SdkUrl, HttpOnlyToLoopback) {
  EXPECT_TRUE(check_url("https://as.example/x"));
  EXPECT_TRUE(check_url("http://127.0.0.1:8080/x"));
  EXPECT_TRUE(check_url("http://localhost/x"));
  EXPECT_TRUE(check_url("http://[::1]:9/x"));
  EXPECT_EQ(check_url("http://as.example/x").error().code, make_error_code(Errc::insecure_url));
  EXPECT_EQ(check_url("http://127.0.0.1.evil.example/").error().code, make_error_code(Errc::insecure_url));
  EXPECT_EQ(check_url("ftp://as.example/").error().code, make_error_code(Errc::bad_url));
  EXPECT_EQ(check_url("/relative").error().code, make_error_code(Errc::bad_url));
  TokenClientOptions o;
  o.token_endpoint = "http://as.example/t";
  o.client_id = "c";
  o.method = AuthMethod::client_secret_post;
  o.client_secret = core::SecretString("s");
  auto bad = TokenClient::create(std::move(o));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, make_error_code(Errc::insecure_url));
}

}  // namespace
}  // namespace gh::sdk
