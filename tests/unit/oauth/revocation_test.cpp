// POST /oauth2[/asId]/v1/revoke in process (RFC 7009, okta-compat.md §4.3): a client revokes its
// own tokens durably; anything else is a silent 200.
#include "oauth/revocation/revocation.hpp"
#include "oauth/revocation/prune.hpp"

#include <gtest/gtest.h>

#include "testing/org_fixture.hpp"

#include <boost/json/serialize.hpp>

#include <mutex>
#include <set>
#include <shared_mutex>

#include "api/common/renderer.hpp"
#include "api/orgs/bootstrap.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "crypto/credential.hpp"
#include "jose/jws.hpp"
#include "oauth/introspection/introspection.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/temp_dir.hpp"

namespace gh::oauth {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

// What oauth::Endpoints sends for a handler's answer (refusals rendered).
http::Response answer(Result<http::Response> r) { return r ? std::move(*r) : render(r.error()); }

class RevocationTest : public gh::testing::OrgFixture {
 protected:
  RevocationTest()
      : OrgFixture(9),
        env_{directory_, *store_, clock_, random_, pepper_, keyring_},
        client_auth_(env_, assertion_jtis_),
        verifier_(keyring_, clock_),
        revocation_(env_, client_auth_, verifier_) {
    auto b = api::bootstrap_org(random_, pepper_, sealer_, now(), "", "First",
                                {{"login", "a@x.io"}, {"email", "a@x.io"}, {"firstName", "A"}, {"lastName", "D"}},
                                "x", 1);
    EXPECT_TRUE(store_->create_org(b.org, b.changes));
    org_id_ = b.org.id;
    org_ = &directory_.add(std::make_unique<model::OrgModel>(*store_->load_org(core::OrgId{b.org.id}), "http://gh.test", renderer_));
    secret_a_ = add_app("0oaclienta");
    secret_b_ = add_app("0oaclientb");
  }
  std::int64_t now_s() const { return now() / 1000; }
  void put(domain::Document d) {
    store::ChangeSet cs{store::PutDocument{std::move(d)}};
    ASSERT_TRUE(store_->commit(org_->id(), cs));
    std::unique_lock lk(org_->mutex());
    org_->apply(cs);
  }
  std::string add_app(std::string id) {
    domain::Document app{"app", id, "", {}};
    app.body = {{"id", id},
                {"status", "ACTIVE"},
                {"credentials", {{"oauthClient", {{"client_id", id}, {"token_endpoint_auth_method", "client_secret_basic"}}}}}};
    put(app);
    auto secret = crypto::generate_credential(random_, crypto::CredentialKind::client_secret);
    auto mac = pepper_.mac(secret.reveal());
    domain::Document s{"client_secret", "ocs" + id, id, {}};
    s.body = {{"status", "ACTIVE"},
              {"_gh", {{"mac", core::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()))}}}};
    put(s);
    return std::string(secret.reveal());
  }
  std::string mint(std::string cid, std::string jti, std::string_view as_id = "", std::int64_t lifetime = 3600) {
    auto iss = as_id.empty() ? org_->url() : org_->url() + "/oauth2/" + std::string(as_id);
    json::object c{{"ver", 1},       {"jti", jti},              {"iss", iss},
                   {"aud", as_id.empty() ? org_->url() : std::string("api://default")},
                   {"iat", now_s()}, {"exp", now_s() + lifetime}, {"cid", cid},
                   {"scp", json::array{"okta.groups.read"}},    {"sub", cid}};
    auto key = keyring_.active(*org_, as_id);
    return *jose::sign(*key->alg(), *key, {{"kid", key->kid()}}, json::serialize(c));
  }
  http::Response send(std::string_view endpoint, std::string form, std::string_view as_id = "",
                      std::string client = "0oaclienta") {
    http::Request req;
    req.method = http::Method::post;
    body_ = std::move(form);
    req.body = body_;
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    basic_ = "Basic " + core::base64_encode(client + ":" + (client == "0oaclienta" ? secret_a_ : secret_b_));
    req.headers.emplace_back("Authorization", basic_);
    if (endpoint == "revoke") return answer(revocation_.handle(req, *org_, as_id));
    Introspection introspection(client_auth_, verifier_, clock_, Limits{});
    return answer(introspection.handle(req, *org_, as_id));
  }
  bool active(const std::string& token, std::string_view as_id = "", std::string client = "0oaclienta") {
    return send("introspect", "token=" + token, as_id, client).body.find(R"("active":true)") != std::string::npos;
  }

  // The ids of the revoked_token documents in the store and in the model.
  std::set<std::string> stored_revocations() {
    std::set<std::string> out;
    auto snap = store_->load_org(core::OrgId{org_id_});
    EXPECT_TRUE(snap);
    if (snap)
      for (auto& d : snap->documents)
        if (d.kind == domain::kind::revoked_token) out.insert(d.id);
    return out;
  }
  std::set<std::string> model_revocations() {
    std::set<std::string> out;
    std::shared_lock lk(org_->mutex());
    for (auto [id, doc] : org_->docs(domain::kind::revoked_token)) out.insert(std::string(id));
    return out;
  }
  std::size_t prune() {
    auto r = prune_revoked_tokens(*store_, *org_, clock_);
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : 0;
  }

  Env env_;
  ReplayCache assertion_jtis_;
  ClientAuthenticator client_auth_;
  AccessTokenVerifier verifier_;
  Revocation revocation_;
  model::OrgModel* org_ = nullptr;
  std::string org_id_, secret_a_, secret_b_, body_, basic_;
};

TEST_F(RevocationTest, RevokedTokenIsDeadFromTheNextRequestAndDurably) {
  auto token = mint("0oaclienta", "AT.one");
  ASSERT_TRUE(active(token));  // also warms the verifier's cache
  auto res = send("revoke", "token=" + token + "&token_type_hint=access_token");
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.body.empty());
  EXPECT_TRUE(res.content_type.empty());
  EXPECT_FALSE(active(token));
  auto snap = store_->load_org(core::OrgId{org_id_});
  ASSERT_TRUE(snap);
  bool stored = false;
  for (auto& d : snap->documents)
    if (d.kind == "revoked_token" && d.id == "AT.one") {
      stored = true;
      EXPECT_EQ(d.parent, "0oaclienta");
      EXPECT_EQ(d.body.at("exp").as_int64(), now_s() + 3600);
    }
  EXPECT_TRUE(stored);
  EXPECT_EQ(send("revoke", "token=" + token).status, 200);  // again: still 200
}

TEST_F(RevocationTest, OthersTokensAndGarbageAreSilentlyIgnored) {
  auto theirs = mint("0oaclientb", "AT.b");
  struct Case {
    std::string name, form;
  };
  const Case cases[] = {
      {"another client's token", "token=" + theirs},
      {"garbage", "token=abc"},
      {"unknown hint", "token=abc&token_type_hint=foo"},
      {"custom AS token at the org AS", "token=" + mint("0oaclienta", "AT.c", "default")},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = send("revoke", c.form);
    EXPECT_EQ(res.status, 200);
    EXPECT_TRUE(res.body.empty());
  }
  EXPECT_TRUE(active(theirs, "", "0oaclientb"));
  EXPECT_TRUE(active(mint("0oaclienta", "AT.c", "default"), "default"));
}

TEST_F(RevocationTest, CustomAuthorizationServerTokens) {
  auto token = mint("0oaclienta", "AT.d", "default");
  EXPECT_EQ(send("revoke", "token=" + token, "default").status, 200);
  EXPECT_FALSE(active(token, "default"));
}

TEST_F(RevocationTest, ClientAuthenticationIsRequired) {
  http::Request req;
  req.method = http::Method::post;
  auto token = mint("0oaclienta", "AT.e");
  std::string body = "token=" + token;
  req.body = body;
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  auto res = answer(revocation_.handle(req, *org_, ""));
  EXPECT_EQ(res.status, 401);
  EXPECT_NE(res.body.find("invalid_client"), std::string::npos);
  EXPECT_TRUE(active(token));
  EXPECT_EQ(send("revoke", "").status, 400);  // RFC 7009 §2.1: token is required
}

// Issue 20: revocation records do not pile up. The job forgets those whose token expired (past
// the verifier's largest skew); a revoked token that has not expired stays refused.
TEST_F(RevocationTest, PruningForgetsExpiredRevocationsAndKeepsTheOthersRefused) {
  std::vector<std::string> short_lived, long_lived;
  for (int i = 0; i < 3; ++i) short_lived.push_back(mint("0oaclienta", "AT.short" + std::to_string(i), "", 60));
  for (int i = 0; i < 2; ++i) long_lived.push_back(mint("0oaclienta", "AT.long" + std::to_string(i), "", 3600));
  for (auto& t : short_lived) ASSERT_EQ(send("revoke", "token=" + t).status, 200);
  for (auto& t : long_lived) ASSERT_EQ(send("revoke", "token=" + t).status, 200);
  const std::set<std::string> all{"AT.short0", "AT.short1", "AT.short2", "AT.long0", "AT.long1"};
  ASSERT_EQ(stored_revocations(), all);

  EXPECT_EQ(prune(), 0u);  // nothing expired yet
  clock_.advance(61s);     // the short tokens are past exp, but not past exp + kMaxClockSkew
  EXPECT_EQ(prune(), 0u);
  EXPECT_EQ(model_revocations(), all);
  clock_.advance(kMaxClockSkew);
  EXPECT_EQ(prune(), 3u);

  const std::set<std::string> left{"AT.long0", "AT.long1"};
  EXPECT_EQ(stored_revocations(), left);
  EXPECT_EQ(model_revocations(), left);
  for (auto& t : short_lived) EXPECT_FALSE(active(t));  // refused as expired, record or not
  for (auto& t : long_lived) EXPECT_FALSE(active(t));   // still revoked
  EXPECT_EQ(prune(), 0u);

  clock_.advance(3600s);
  EXPECT_EQ(prune(), 2u);
  EXPECT_TRUE(stored_revocations().empty());
  EXPECT_TRUE(model_revocations().empty());
}

TEST_F(RevocationTest, PruningRunsInBoundedBatches) {
  const auto n = kMaxPrunedPerRun + 5;
  store::ChangeSet cs;
  for (std::size_t i = 0; i < n; ++i)
    cs.push_back(store::PutDocument{{std::string(domain::kind::revoked_token), "AT.bulk" + std::to_string(i),
                                     "0oaclienta", {{"exp", now_s() - 3600}}}});
  ASSERT_TRUE(store_->commit(org_->id(), cs));
  {
    std::unique_lock lk(org_->mutex());
    org_->apply(cs);
  }
  EXPECT_EQ(prune(), kMaxPrunedPerRun);
  EXPECT_EQ(model_revocations().size(), 5u);
  EXPECT_EQ(stored_revocations().size(), 5u);
  EXPECT_EQ(prune(), 5u);
  EXPECT_TRUE(stored_revocations().empty());
  EXPECT_TRUE(model_revocations().empty());
}

}  // namespace
}  // namespace gh::oauth
