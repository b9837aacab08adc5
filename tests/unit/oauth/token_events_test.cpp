// System Log events of the token and revocation endpoints (issue #4): queued for issued and
// refused token requests, committed with a revocation; never a secret, assertion or token.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "oauth_fixture.hpp"
#include "store/event_queue.hpp"
#include "store/event_record.hpp"

namespace gh::oauth::testing {
namespace {

class TokenEventsTest : public OAuthFixture {
 protected:
  TokenEventsTest() : rsa_(client_key(jose::Alg::RS256, "k-rsa")) {
    add_signing_key("", jose::Alg::RS256);
    env_.events = &queue_;
  }
  // The one queued event, as JSON.
  json::object only_event() {
    auto batch = queue_.take();
    EXPECT_EQ(batch.size(), 1u);
    if (batch.empty()) return {};
    EXPECT_EQ(batch[0].org_id, org_->org().id);
    auto b = batch[0];
    return json::parse(store::render_stored_event(b.uuid, b.published, b.event_type, b.record)).as_object();
  }
  static void contains_none(const json::object& ev, std::initializer_list<std::string_view> secrets) {
    auto text = json::serialize(ev);
    for (auto s : secrets) EXPECT_EQ(text.find(s), std::string::npos) << "found " << s << " in " << text;
  }

  const jose::Jwk& rsa_;
  store::EventQueue queue_;
};

TEST_F(TokenEventsTest, AnIssuedTokenIsRecordedWithItsClientAndScopes) {
  auto cid = add_app("private_key_jwt");
  add_key(cid, rsa_);
  add_grant(cid, "okta.users.read");
  auto a = assertion(cid, rsa_);
  auto r = post("/oauth2/v1/token", "grant_type=client_credentials&scope=okta.users.read&client_assertion_type=" +
                                        enc(kJwtBearer) + "&client_assertion=" + a);
  ASSERT_EQ(r.res.status, 200) << r.res.body;
  auto ev = only_event();
  EXPECT_EQ(ev.at("eventType"), "app.oauth2.token.grant.access_token");  // org AS
  EXPECT_EQ(ev.at("outcome").at("result"), "SUCCESS");
  EXPECT_EQ(ev.at("actor").at("id"), json::value(cid));
  EXPECT_EQ(ev.at("actor").at("type"), "PublicClientApp");
  EXPECT_EQ(ev.at("client").at("id"), json::value(cid));
  auto& debug = ev.at("debugContext").at("debugData").as_object();
  EXPECT_EQ(debug.at("grantType"), "client_credentials");
  EXPECT_EQ(debug.at("grantedScopes"), "okta.users.read");
  contains_none(ev, {str(r.body["access_token"]), a, a.substr(a.rfind('.') + 1)});
}

TEST_F(TokenEventsTest, ARefusedRequestIsRecordedWithTheReasonNeverTheCredential) {
  add_auth_server("aus1", json::array{"api://widgets"}, {"widgets.read"});
  auto cid = add_app("client_secret_basic");
  auto secret = add_secret(cid);
  auto p = add_policy("aus1", 1, json::array{"ALL_CLIENTS"});
  add_rule(p, 1, json::array{"client_credentials"}, json::array{"*"});
  const std::string wrong = "gth_cs_" + std::string(52, 'Q');
  struct Case {
    std::string name, form, authorization, reason;
    bool known_client;
  };
  const Case cases[] = {
      {"wrong secret", "grant_type=client_credentials&scope=widgets.read", basic(cid, wrong), "invalid_client", true},
      {"unknown client", "grant_type=client_credentials&scope=widgets.read", basic("0oaUNKNOWN", secret), "invalid_client", false},
      {"a secret typed as the client id", "grant_type=client_credentials&scope=widgets.read&client_id=" + enc(secret) +
                                              "&client_secret=" + enc(secret), "", "invalid_client", false},
      {"unknown scope", "grant_type=client_credentials&scope=nope", basic(cid, secret), "invalid_scope", true},
      {"unsupported grant", "grant_type=password&scope=widgets.read", basic(cid, secret), "unsupported_grant_type", true},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = post("/oauth2/aus1/v1/token", c.form, c.authorization);
    EXPECT_GE(r.res.status, 400);
    auto ev = only_event();
    EXPECT_EQ(ev.at("eventType"), "app.oauth2.as.token.grant");  // custom AS, no suffix: refused
    EXPECT_EQ(ev.at("severity"), "WARN");
    EXPECT_EQ(ev.at("outcome").at("result"), "FAILURE");
    EXPECT_EQ(ev.at("outcome").at("reason"), json::value(c.reason));
    EXPECT_EQ(ev.at("actor").at("id"), json::value(c.known_client ? cid : "unknown"));
    contains_none(ev, {secret, wrong, c.authorization.empty() ? "Basic x" : c.authorization.substr(6), "0oaUNKNOWN"});
  }
  auto ok = post("/oauth2/aus1/v1/token", "grant_type=client_credentials&scope=widgets.read", basic(cid, secret));
  ASSERT_EQ(ok.res.status, 200) << ok.res.body;
  auto ev = only_event();
  EXPECT_EQ(ev.at("eventType"), "app.oauth2.as.token.grant.access_token");
  EXPECT_EQ(ev.at("target").as_array()[1].at("id"), "aus1");
  contains_none(ev, {secret, str(ok.body["access_token"])});
}

TEST_F(TokenEventsTest, ARevocationIsCommittedWithItsEvent) {
  add_auth_server("aus1", json::array{"api://widgets"}, {"widgets.read"});
  auto cid = add_app("client_secret_basic");
  auto secret = add_secret(cid);
  add_rule(add_policy("aus1", 1, json::array{"ALL_CLIENTS"}), 1, json::array{"client_credentials"}, json::array{"*"});
  auto tok = post("/oauth2/aus1/v1/token", "grant_type=client_credentials&scope=widgets.read", basic(cid, secret));
  ASSERT_EQ(tok.res.status, 200);
  auto at = str(tok.body["access_token"]);
  queue_.take();
  ASSERT_EQ(post("/oauth2/aus1/v1/revoke", "token=" + at, basic(cid, secret)).res.status, 200);
  store::EventQuery q;
  q.since = 0, q.until = now_ms() + 1, q.order = store::EventOrder::persisted_asc;
  auto rows = store_->query_events(org_->id(), q);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  auto ev = json::parse((*rows)[0].json).as_object();
  EXPECT_EQ(ev.at("eventType"), "app.oauth2.as.token.revoke");
  EXPECT_EQ(ev.at("actor").at("id"), json::value(cid));
  EXPECT_EQ(ev.at("target").as_array()[0].at("id"), json::value(jwt_claims(at).at("jti")));
  contains_none(ev, {at, secret});
}

TEST_F(TokenEventsTest, WithoutAQueueNothingIsRecorded) {
  env_.events = nullptr;
  auto cid = add_app("client_secret_basic");
  EXPECT_EQ(post("/oauth2/v1/token", "grant_type=client_credentials", basic(cid, "x")).res.status, 401);
  EXPECT_TRUE(queue_.take().empty());
}

}  // namespace
}  // namespace gh::oauth::testing
