// ManagementClient: paging by Link rel="next", error envelopes, SSWS; retry_hint's HTTP-date;
// TokenClient::call's resource-server DPoP nonce; transport failures retried.
#include <gtest/gtest.h>

#include "gatehouse/client/keys.hpp"
#include "gatehouse/client/management_client.hpp"
#include "jose/jws.hpp"
#include "unit/sdk/fake_transport.hpp"

#include <boost/json/parse.hpp>

namespace gh::sdk {
namespace {
using namespace std::chrono;
using testing::FakeSleeper;
using testing::FakeTransport;
using testing::json_response;

constexpr auto kOrg = "https://acme.example";

TEST(SdkManagementClient, ListFollowsNextLinksAndStopsAtTheLimit) {
  auto t = std::make_shared<FakeTransport>([](const HttpRequest& r) {
    if (r.url == "https://acme.example/api/v1/groups?limit=2")
      return json_response(200, R"([{"id":"g1"},{"id":"g2"}])",
                           {{"Link", "<https://acme.example/api/v1/groups?limit=2>; rel=\"self\""},
                            {"Link", "<https://acme.example/api/v1/groups?after=g2&limit=2>; rel=\"next\""}});
    if (r.url == "https://acme.example/api/v1/groups?after=g2&limit=2")
      return json_response(200, R"([{"id":"g3"}])",
                           {{"Link", "<https://acme.example/api/v1/groups?after=g2&limit=2>; rel=\"self\""}});
    return json_response(404, "{}");
  });
  ManagementClient api(std::string(kOrg) + "/", core::SecretString("00abc"), t);
  auto all = api.list("/api/v1/groups?limit=2");
  ASSERT_TRUE(all) << all.error().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->at(2).as_object().at("id").as_string(), "g3");
  auto sent = t->sent();
  ASSERT_EQ(sent.size(), 2u);
  bool ssws = false;
  for (auto& [k, v] : sent[0].headers) ssws |= k == "Authorization" && v == "SSWS 00abc";
  EXPECT_TRUE(ssws);
  auto two = api.list("/api/v1/groups?limit=2", 2);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
  EXPECT_EQ(t->sent().size(), 3u);  // the limit was reached on the first page
}

TEST(SdkManagementClient, NextLinkInOneCommaJoinedHeader) {
  HttpResponse r{200, {{"link", "<https://x/a?after=1>; rel=\"next\", <https://x/a>; rel=\"self\""}}, ""};
  EXPECT_EQ(next_link(r), "https://x/a?after=1");
  HttpResponse none{200, {{"Link", "<https://x/a>; rel=\"self\""}}, ""};
  EXPECT_EQ(next_link(none), "");
}

TEST(SdkManagementClient, ErrorsCarryTheStatusAndTheEnvelope) {
  auto t = std::make_shared<FakeTransport>([](const HttpRequest&) {
    return json_response(400, R"({"errorCode":"E0000001","errorSummary":"Api validation failed: label",)"
                              R"("errorCauses":[{"errorSummary":"label: The field cannot be left blank"}]})");
  });
  ManagementClient api(kOrg, core::SecretString("00abc"), t);
  auto r = api.create_service_app("", false, nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(r.error().detail, "E0000001: Api validation failed: label; label: The field cannot be left blank");
  auto body = boost::json::parse(t->sent().at(0).body).as_object();
  EXPECT_EQ(body.at("credentials").at("oauthClient").at("token_endpoint_auth_method").as_string(), "client_secret_basic");
  EXPECT_EQ(body.at("settings").at("oauthClient").at("application_type").as_string(), "service");
}

TEST(SdkManagementClient, CredentialGrantRoleAndTokenCallsUseTheirPaths) {
  auto t = std::make_shared<FakeTransport>([](const HttpRequest& r) {
    return json_response(r.method == "DELETE" ? 204 : 200, r.method == "DELETE" ? "" : R"({"id":"x"})");
  });
  ManagementClient api(kOrg, core::SecretString("00abc"), t);
  ASSERT_TRUE(api.new_client_secret("0oa1"));
  ASSERT_TRUE(api.add_jwk("0oa1", boost::json::object{{"kty", "EC"}}));
  ASSERT_TRUE(api.grant_scope("0oa1", "okta.groups.read"));
  ASSERT_TRUE(api.assign_client_role("0oa1", "READ_ONLY_ADMIN"));
  ASSERT_TRUE(api.deactivate_app("0oa1"));
  ASSERT_TRUE(api.delete_app("0oa1"));
  ASSERT_TRUE(api.revoke_api_token("00T1"));
  std::vector<std::string> calls;
  for (auto& r : t->sent()) calls.push_back(r.method + " " + r.url);
  EXPECT_EQ(calls, (std::vector<std::string>{
                       "POST https://acme.example/api/v1/apps/0oa1/credentials/secrets",
                       "POST https://acme.example/api/v1/apps/0oa1/credentials/jwks",
                       "POST https://acme.example/api/v1/apps/0oa1/grants",
                       "POST https://acme.example/oauth2/v1/clients/0oa1/roles",
                       "POST https://acme.example/api/v1/apps/0oa1/lifecycle/deactivate",
                       "DELETE https://acme.example/api/v1/apps/0oa1",
                       "DELETE https://acme.example/api/v1/api-tokens/00T1"}));
  auto grant = boost::json::parse(t->sent().at(2).body).as_object();
  EXPECT_EQ(grant.at("issuer").as_string(), kOrg);  // okta-compat.md §5: the org URL
  EXPECT_EQ(grant.at("scopeId").as_string(), "okta.groups.read");
  // Ids are one path segment: no way to reach another resource through them.
  ASSERT_TRUE(api.get_app("../users/me"));
  EXPECT_EQ(t->sent().back().url, "https://acme.example/api/v1/apps/..%2Fusers%2Fme");
}

TEST(SdkRetryHint, RetryAfterAsAnHttpDate) {
  auto now = core::from_epoch_ms(1'700'000'000'000);
  HttpResponse r{503, {{"Retry-After", "Tue, 14 Nov 2023 22:13:50 GMT"}}, ""};
  EXPECT_EQ(retry_hint(r, now), milliseconds(30'000));
  HttpResponse junk{503, {{"Retry-After", "soon"}}, ""};
  EXPECT_EQ(retry_hint(junk, now), std::nullopt);
}

TEST(SdkTokenClientMore, TransportFailuresAreRetriedAndResourceNoncesUsed) {
  core::FakeClock clock{core::from_epoch_ms(1'700'000'000'000)};
  FakeSleeper sleeper{clock};
  core::SeededRandom random{9};
  int n = 0;
  auto t = std::make_shared<FakeTransport>([&](const HttpRequest& r) -> Result<HttpResponse> {
    if (r.url.ends_with("/token")) {
      if (++n == 1) return Error(Errc::transport_failed, 0, "connection refused");
      return json_response(200, R"({"access_token":"at","token_type":"DPoP","expires_in":3600})");
    }
    std::string proof;
    for (auto& [k, v] : r.headers)
      if (k == "DPoP") proof = v;
    auto claims = boost::json::parse(jose::decode(proof)->payload).as_object();
    if (!claims.contains("nonce"))  // RFC 9449 §9: the resource server asks for its nonce
      return json_response(401, "", {{"WWW-Authenticate", "DPoP error=\"use_dpop_nonce\""}, {"DPoP-Nonce", "rs-1"}});
    return json_response(200, "[]");
  });
  TokenClientOptions o;
  o.token_endpoint = "https://as.example/token";
  o.client_id = "c";
  o.method = AuthMethod::client_secret_post;
  o.client_secret = core::SecretString("s");
  o.dpop_key = *generate_key(false);
  auto c = TokenClient::create(std::move(o), Deps{t, &clock, &sleeper, &random});
  ASSERT_TRUE(c);
  auto res = (*c)->call({"GET", "https://rs.example/x", {}, {}});
  ASSERT_TRUE(res) << res.error().message();
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(sleeper.slept, (std::vector<milliseconds>{milliseconds(500)}));
  EXPECT_EQ(t->sent().size(), 4u);  // failed token request, token, call without and with nonce
}

}  // namespace
}  // namespace gh::sdk
