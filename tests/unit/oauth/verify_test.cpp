// AccessTokenVerifier: a table of tokens (good, forged, misdirected, expired, revoked, ...) against
// a real SQLite store, the read model, KeyRing and a FakeClock.
#include "oauth/verify/access_token_verifier.hpp"

#include <gtest/gtest.h>

#include "testing/org_fixture.hpp"

#include <boost/json/serialize.hpp>

#include <mutex>

#include "api/common/renderer.hpp"
#include "api/orgs/bootstrap.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "crypto/mac.hpp"
#include "jose/jws.hpp"
#include "jose/keys.hpp"
#include "model/directory.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/temp_dir.hpp"

namespace gh::oauth {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

class VerifierTest : public gh::testing::OrgFixture {
 protected:
  VerifierTest()
      : OrgFixture(11),
        verifier_(keyring_, clock_) {
    org_ = make_org("", "First");
    other_ = make_org("other", "Other");
    put(*org_, app("0oaactive", "ACTIVE"));
    put(*org_, app("0oainactive", "INACTIVE"));
    put(*other_, app("0oaelsewhere", "ACTIVE"));
  }

  model::OrgModel* make_org(std::string slug, std::string name) {
    auto b = api::bootstrap_org(random_, pepper_, sealer_, now(), slug, name,
                                {{"login", "a@x.io"}, {"email", "a@x.io"}, {"firstName", "A"}, {"lastName", "D"}},
                                "x", 1);
    EXPECT_TRUE(store_->create_org(b.org, b.changes));
    auto url = slug.empty() ? std::string("http://gh.test") : "http://gh.test/o/" + slug;
    return &directory_.add(std::make_unique<model::OrgModel>(*store_->load_org(core::OrgId{b.org.id}), url, renderer_));
  }
  static domain::Document app(std::string id, std::string status) {
    domain::Document d{"app", id, "", {}};
    d.body = {{"id", id}, {"status", status}, {"signOnMode", "OPENID_CONNECT"}};
    return d;
  }
  void put(model::OrgModel& org, domain::Document d) {
    store::ChangeSet cs{store::PutDocument{std::move(d)}};
    ASSERT_TRUE(store_->commit(org.id(), cs));
    std::unique_lock lk(org.mutex());
    org.apply(cs);
  }
  std::int64_t now_s() const { return now() / 1000; }

  json::object claims(std::string_view as_id = "") const {
    auto iss = as_id.empty() ? org_->url() : org_->url() + "/oauth2/" + std::string(as_id);
    return {{"ver", 1},         {"jti", "AT.abc"}, {"iss", iss},
            {"aud", as_id.empty() ? org_->url() : std::string("api://default")},
            {"iat", now_s()},   {"exp", now_s() + 3600}, {"cid", "0oaactive"},
            {"scp", json::array{"okta.groups.read"}},    {"sub", "0oaactive"}};
  }
  std::string mint(const json::object& c, std::string_view as_id = "") {
    auto key = keyring_.active(*org_, as_id);
    EXPECT_TRUE(key);
    auto t = jose::sign(*key->alg(), *key, {{"kid", key->kid()}}, json::serialize(c));
    EXPECT_TRUE(t.has_value());
    return *t;
  }
  std::string with(std::string_view key, json::value v, std::string_view as_id = "") {
    auto c = claims(as_id);
    c[key] = std::move(v);
    return mint(c, as_id);
  }
  // A JWS with an arbitrary header and signature bytes (forgeries).
  static std::string raw(const json::object& header, const json::object& payload, std::string_view sig) {
    return core::base64url_encode(json::serialize(header)) + "." +
           core::base64url_encode(json::serialize(payload)) + "." + core::base64url_encode(sig);
  }
  boost::system::error_code check(std::string_view token, std::string_view as_id = "") {
    std::shared_lock lk(org_->mutex());
    auto r = verifier_.verify(token, *org_, as_id);
    return r ? boost::system::error_code{} : r.error();
  }

  AccessTokenVerifier verifier_;
  model::OrgModel* org_ = nullptr;
  model::OrgModel* other_ = nullptr;
};

TEST_F(VerifierTest, RefusesEveryForgedMisdirectedOrDeadToken) {
  auto good = mint(claims());
  auto kid = keyring_.active(*org_, "")->kid();
  auto dot1 = good.find('.'), dot2 = good.rfind('.');
  auto header = good.substr(0, dot1), sig = good.substr(dot2 + 1);
  auto payload_of = [&](std::string_view t) { return t.substr(t.find('.'), t.rfind('.') - t.find('.')); };
  std::string tampered_payload = header + std::string(payload_of(with("scp", json::array{"okta.users.manage"}))) + "." + sig;
  std::string tampered_sig = good;
  auto& ch = tampered_sig[dot2 + 1 + sig.size() / 2];
  ch = ch == 'A' ? 'B' : 'A';
  auto signing_input = good.substr(0, dot2);
  auto pub_pem = jose::to_public_pem(*keyring_.active(*org_, "")->pkey());
  ASSERT_TRUE(pub_pem);
  auto hs256 = core::base64url_encode(json::serialize(json::object{{"alg", "HS256"}, {"kid", kid}})) + "." +
               std::string(payload_of(good)).substr(1);
  hs256 += "." + core::base64url_encode(crypto::hmac_sha256(*pub_pem, hs256));
  auto rs512 = [&] {  // right key, another RSA algorithm named in the header
    auto key = keyring_.active(*org_, "");
    auto priv = jose::Jwk::from_pkey(jose::PkeyPtr(EVP_PKEY_dup(key->pkey())), kid, jose::Alg::RS512);
    return *jose::sign(jose::Alg::RS512, *priv, {{"kid", kid}}, json::serialize(claims()));
  }();
  {  // a revoked jti
    domain::Document rt{"revoked_token", "AT.revoked", "0oaactive", {{"exp", now_s() + 3600}}};
    put(*org_, rt);
  }
  auto other_iss = claims();
  other_iss["iss"] = org_->url() + "/oauth2/default";

  struct Case {
    std::string name, token;
    TokenErrc want;
    std::string as_id;
  };
  const Case cases[] = {
      {"good", good, TokenErrc::ok, ""},
      {"good custom AS token", mint(claims("default"), "default"), TokenErrc::ok, "default"},
      {"tampered payload", tampered_payload, TokenErrc::bad_signature, ""},
      {"tampered signature", tampered_sig, TokenErrc::bad_signature, ""},
      {"alg none", raw({{"alg", "none"}, {"kid", kid}}, claims(), ""), TokenErrc::alg_none, ""},
      {"HS256 keyed with the public key", hs256, TokenErrc::alg_hmac, ""},
      {"RS512 with the RS256 key", rs512, TokenErrc::alg_mismatch, ""},
      {"no kid", raw({{"alg", "RS256"}}, claims(), "sig"), TokenErrc::missing_kid, ""},
      {"unknown kid", raw({{"alg", "RS256"}, {"kid", "nope"}}, claims(), "sig"), TokenErrc::unknown_kid, ""},
      {"other AS's key", mint(claims(), "default"), TokenErrc::unknown_kid, ""},
      {"org AS token at a custom AS", good, TokenErrc::unknown_kid, "default"},
      {"expired", with("exp", now_s()), TokenErrc::expired, ""},
      {"issued in the future", with("iat", now_s() + 120), TokenErrc::not_yet_valid, ""},
      {"nbf in the future", with("nbf", now_s() + 120), TokenErrc::not_yet_valid, ""},
      {"wrong iss", mint(other_iss), TokenErrc::wrong_issuer, ""},
      {"wrong aud", with("aud", "api://default"), TokenErrc::wrong_audience, ""},
      {"aud array with a stranger", with("aud", json::array{org_->url(), "x"}), TokenErrc::wrong_audience, ""},
      {"custom AS wrong aud", with("aud", "api://other", "default"), TokenErrc::wrong_audience, "default"},
      {"scp not an array", with("scp", "okta.groups.read"), TokenErrc::bad_claims, ""},
      {"exp not a number", with("exp", "soon"), TokenErrc::bad_claims, ""},
      // The one NumericDate policy (jose/numeric_date.hpp, tested there): a fraction is floored.
      {"exp non-integer", with("exp", double(now_s() + 3600) + 0.5), TokenErrc::ok, ""},
      {"revoked", with("jti", "AT.revoked"), TokenErrc::revoked, ""},
      {"app deactivated", with("cid", "0oainactive"), TokenErrc::client_inactive, ""},
      {"app of another org", with("cid", "0oaelsewhere"), TokenErrc::unknown_client, ""},
      {"not a JWS", "undefined", TokenErrc::malformed, ""},
      {"empty", "", TokenErrc::malformed, ""},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto ec = check(c.token, c.as_id);
    if (c.want == TokenErrc::ok)
      EXPECT_FALSE(ec) << ec.message();
    else
      EXPECT_EQ(ec, c.want) << ec.message();
  }
}

TEST_F(VerifierTest, ReturnsTheClaimsInTheTokensForm) {
  auto c = claims("default");
  c["uid"] = "00u1";
  auto token = mint(c, "default");
  std::shared_lock lk(org_->mutex());
  auto r = verifier_.verify(token, *org_, "default");
  ASSERT_TRUE(r) << r.error().message();
  auto& got = **r;
  EXPECT_EQ(got.jti, "AT.abc");
  EXPECT_EQ(got.cid, "0oaactive");
  EXPECT_EQ(got.sub, "0oaactive");
  EXPECT_EQ(got.iss, org_->url() + "/oauth2/default");
  EXPECT_EQ(got.aud, json::value("api://default"));
  EXPECT_EQ(got.scp, std::vector<std::string>{"okta.groups.read"});
  EXPECT_EQ(got.exp - got.iat, 3600);
  EXPECT_EQ(got.uid, std::optional<std::string>("00u1"));
  EXPECT_FALSE(got.jkt);
}

TEST_F(VerifierTest, CachedTokensStillDieOnTheNextRequest) {
  auto token = mint(claims());
  EXPECT_FALSE(check(token));
  EXPECT_FALSE(check(token));  // a cache hit
  put(*org_, {"revoked_token", "AT.abc", "0oaactive", {{"exp", now_s() + 3600}}});
  EXPECT_EQ(check(token), TokenErrc::revoked);

  auto token2 = with("jti", "AT.two");
  EXPECT_FALSE(check(token2));
  put(*org_, app("0oaactive", "INACTIVE"));  // deactivating the app kills its tokens at once
  EXPECT_EQ(check(token2), TokenErrc::client_inactive);
  put(*org_, app("0oaactive", "ACTIVE"));
  EXPECT_FALSE(check(token2));
  clock_.advance(3600s);
  EXPECT_EQ(check(token2), TokenErrc::expired);
}

// okta-compat.md §5: a deactivated or deleted authorization server's tokens are refused at once,
// cached or not.
TEST_F(VerifierTest, CachedTokensOfAnInactiveOrDeletedServerDie) {
  auto token = mint(claims("default"), "default");
  EXPECT_FALSE(check(token, "default"));
  EXPECT_FALSE(check(token, "default"));  // a cache hit
  auto as = *org_->doc(domain::kind::auth_server, "default");
  auto inactive = as;
  inactive.body["status"] = "INACTIVE";
  put(*org_, inactive);
  EXPECT_EQ(check(token, "default"), TokenErrc::auth_server_inactive);
  put(*org_, as);
  EXPECT_FALSE(check(token, "default"));
  store::ChangeSet cs{store::DeleteDocument{std::string(domain::kind::auth_server), "default"}};
  ASSERT_TRUE(store_->commit(org_->id(), cs));
  {
    std::unique_lock lk(org_->mutex());
    org_->apply(cs);
  }
  EXPECT_EQ(check(token, "default"), TokenErrc::unknown_kid);  // its keys went with it
}

TEST_F(VerifierTest, CacheIsPerOrgAndPerAuthorizationServer) {
  auto token = mint(claims());
  EXPECT_FALSE(check(token));
  std::shared_lock lk(other_->mutex());
  auto r = verifier_.verify(token, *other_, "");
  EXPECT_FALSE(r);  // the other org has no such key: a cached claim set never crosses orgs
}

TEST_F(VerifierTest, BoundedCacheKeepsVerifying) {
  AccessTokenVerifier small(keyring_, clock_, 0s, 16);
  std::shared_lock lk(org_->mutex());
  for (int i = 0; i < 100; ++i) {
    auto c = claims();
    c["jti"] = "AT." + std::to_string(i);
    auto t = mint(c);
    ASSERT_TRUE(small.verify(t, *org_, ""));
    ASSERT_TRUE(small.verify(t, *org_, ""));
  }
}

TEST_F(VerifierTest, SkewIsClampedToSixtySeconds) {
  AccessTokenVerifier lenient(keyring_, clock_, 3600s);
  auto token = with("exp", now_s() - 61);
  std::shared_lock lk(org_->mutex());
  auto r = lenient.verify(token, *org_, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), TokenErrc::expired);
  EXPECT_TRUE(lenient.verify(with("jti", "AT.x2"), *org_, ""));
}

}  // namespace
}  // namespace gh::oauth
