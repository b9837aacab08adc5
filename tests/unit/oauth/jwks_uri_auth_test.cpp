// private_key_jwt with a jwks_uri (issue #3 "jwks_uri"; okta-compat.md §4.1, §11.22), driven
// through oauth::Endpoints as the server drives it: handle(); when the answer needs outbound
// I/O, prepare_outbound() (the outbound lane), then handle() once more. The fetcher is a fake
// that serves a JWK set from memory; nothing here opens a socket.
#include <boost/json.hpp>

#include <mutex>
#include <vector>

#include "net/errc.hpp"
#include "oauth/client_auth/jwks_cache.hpp"
#include "oauth_fixture.hpp"

namespace gh::oauth::testing {
namespace {

class MemoryFetcher final : public JwksFetcher {
 public:
  gh::Result<FetchedJwks> fetch(std::string_view url) override {
    std::lock_guard lk(mu_);
    urls.emplace_back(url);
    if (failure) return failure;
    std::vector<jose::Jwk> published;  // public halves, as JwkSet::parse_public yields them
    for (auto& k : keys) published.push_back(jose::Jwk::parse_public(k.to_public_json()).value());
    return FetchedJwks{jose::JwkSet::from_keys(std::move(published)).value(), max_age};
  }
  std::mutex mu_;
  std::vector<jose::Jwk> keys;
  std::optional<std::chrono::seconds> max_age;
  boost::system::error_code failure;
  std::vector<std::string> urls;
};

constexpr std::string_view kUri = "https://keys.example.com/.well-known/jwks.json";

class JwksUriAuthTest : public OAuthFixture {
 protected:
  JwksUriAuthTest() : cache_(fetcher_, clock_) {
    env_.jwks_cache = &cache_;
    add_signing_key("", jose::Alg::RS256);
    add_grant_ready();
  }
  void add_grant_ready() {
    cid_ = add_app("private_key_jwt");
    auto body = org_->doc(domain::kind::app, cid_)->body;
    body.at("settings").as_object().at("oauthClient").as_object()["jwks_uri"] = kUri;
    put(domain::kind::app, cid_, "", std::move(body));
    add_grant(cid_, "okta.groups.read");
  }
  std::string token_form(const std::string& assertion) {
    return "grant_type=client_credentials&scope=okta.groups.read&client_assertion_type=" + enc(kJwtBearer) +
           "&client_assertion=" + assertion;
  }

  struct Exchange {
    Call first;   // handle() on the usual lane
    Call final;   // what the client gets
    bool went_outbound = false;
  };
  // What http::Server does for one request.
  Exchange send(const std::string& path, std::string form) {
    http::Request req;
    req.method = http::Method::post;
    req.path = path;
    body_ = std::move(form);
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    req.body = body_;
    Exchange x;
    x.first = finish(endpoints_->handle(req, *org_, path));
    x.final = x.first;
    if (x.first.res.needs_outbound) {
      x.went_outbound = true;
      endpoints_->prepare_outbound(req, *org_, path);
      x.final = finish(endpoints_->handle(req, *org_, path));
    }
    return x;
  }
  Exchange token(const std::string& assertion) { return send("/oauth2/v1/token", token_form(assertion)); }

  MemoryFetcher fetcher_;
  JwksCache cache_;
  std::string cid_;
};

TEST_F(JwksUriAuthTest, KeysFromTheJwksUriAuthenticateAfterOneFetch) {
  auto& key = client_key(jose::Alg::RS256, "uri-rs");
  fetcher_.keys = {key};
  auto x = token(assertion(cid_, key));
  // The I/O thread never fetches: the first answer asks for the outbound lane.
  EXPECT_TRUE(x.went_outbound);
  EXPECT_EQ(x.first.res.status, 401);
  EXPECT_EQ(x.first.error(), "invalid_client");
  EXPECT_EQ(x.final.res.status, 200) << x.final.res.body;
  EXPECT_FALSE(x.final.res.needs_outbound);
  EXPECT_EQ(fetcher_.urls, std::vector<std::string>{std::string(kUri)});
  // Later requests are served from the cache, inline.
  auto again = token(assertion(cid_, key));
  EXPECT_FALSE(again.went_outbound);
  EXPECT_EQ(again.final.res.status, 200);
  EXPECT_EQ(fetcher_.urls.size(), 1u);
}

TEST_F(JwksUriAuthTest, ECKeysAndRotationByUnknownKid) {
  auto& old_key = client_key(jose::Alg::ES256, "uri-old");
  auto& new_key = client_key(jose::Alg::ES384, "uri-new");
  fetcher_.keys = {old_key};
  EXPECT_EQ(token(assertion(cid_, old_key, {}, {}, jose::Alg::ES256)).final.res.status, 200);
  fetcher_.keys = {old_key, new_key};  // the client rotates
  clock_.advance(61s);
  auto x = token(assertion(cid_, new_key, {}, {}, jose::Alg::ES384));
  EXPECT_TRUE(x.went_outbound);
  EXPECT_EQ(x.final.res.status, 200) << x.final.res.body;
  EXPECT_EQ(fetcher_.urls.size(), 2u);
  // An unknown kid within the minute: 401 at once, no fetch.
  auto stranger = client_key(jose::Alg::ES256, "uri-unknown");
  auto y = token(assertion(cid_, stranger, {}, {}, jose::Alg::ES256));
  EXPECT_FALSE(y.went_outbound);
  EXPECT_EQ(y.final.res.status, 401);
  EXPECT_EQ(y.final.error(), "invalid_client");
  EXPECT_EQ(fetcher_.urls.size(), 2u);
}

TEST_F(JwksUriAuthTest, AFailedFetchIsInvalidClientLikeAnyKeyFailure) {
  auto& key = client_key(jose::Alg::RS256, "uri-rs");
  fetcher_.failure = net::Errc::address_refused;
  auto x = token(assertion(cid_, key));
  EXPECT_TRUE(x.went_outbound);
  EXPECT_EQ(x.final.res.status, 401);
  EXPECT_EQ(x.final.error(), "invalid_client");
  EXPECT_FALSE(x.final.res.needs_outbound);
  // The description is the one of an unknown kid: nothing about what the server could reach.
  EXPECT_EQ(str(x.final.body.at("error_description")),
            "The client_assertion kid does not match an active key of the client.");
  EXPECT_EQ(x.final.header("Cache-Control"), "no-store");
  // Retried at most once a minute.
  EXPECT_FALSE(token(assertion(cid_, key)).went_outbound);
  EXPECT_EQ(fetcher_.urls.size(), 1u);
  fetcher_.failure = {};
  fetcher_.keys = {key};
  clock_.advance(60s);
  EXPECT_EQ(token(assertion(cid_, key)).final.res.status, 200);
}

TEST_F(JwksUriAuthTest, KeyLocationsInTheHeaderNeverCauseAFetch) {
  auto& key = client_key(jose::Alg::RS256, "uri-rs");
  fetcher_.keys = {key};
  for (auto member : {"jku", "x5u"}) {
    SCOPED_TRACE(member);
    auto x = token(assertion(cid_, key, {}, {{member, "https://keys.example.com/.well-known/jwks.json"}}));
    EXPECT_FALSE(x.went_outbound);
    EXPECT_EQ(x.final.res.status, 401);
    EXPECT_EQ(x.final.error(), "invalid_client");
  }
  // Even when the first pass had asked for one: prepare_outbound refuses such a header too.
  http::Request req;
  req.method = http::Method::post;
  req.path = "/oauth2/v1/token";
  body_ = token_form(assertion(cid_, key, {}, {{"jku", std::string(kUri)}}));
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.body = body_;
  endpoints_->prepare_outbound(req, *org_, req.path);
  EXPECT_TRUE(fetcher_.urls.empty());
}

TEST_F(JwksUriAuthTest, NothingIsFetchedForOtherAppsOrUnauthenticatedGarbage) {
  auto& key = client_key(jose::Alg::RS256, "uri-rs");
  auto inline_app = add_app("private_key_jwt");
  add_key(inline_app, key);
  add_grant(inline_app, "okta.groups.read");
  EXPECT_EQ(token(assertion(inline_app, key)).final.res.status, 200);
  auto inactive = add_app("private_key_jwt", "INACTIVE");
  EXPECT_EQ(token(assertion(inactive, key)).final.res.status, 401);
  EXPECT_EQ(token("not.a.jwt").final.res.status, 401);
  EXPECT_EQ(token(assertion("0oaNoSuchClient", key)).final.res.status, 401);
  EXPECT_TRUE(fetcher_.urls.empty());
}

TEST_F(JwksUriAuthTest, IntrospectionAndRevocationAuthenticateThroughTheJwksUri) {
  auto& key = client_key(jose::Alg::RS256, "uri-rs");
  fetcher_.keys = {key};
  fetcher_.max_age = std::chrono::seconds(0);  // Cache-Control: no-store → the 5 min floor
  auto t = token(assertion(cid_, key));
  ASSERT_EQ(t.final.res.status, 200);
  auto at = str(t.final.body.at("access_token"));
  clock_.advance(6min);  // the cached set expired (the token has not): introspection fetches
  assertion_aud_ = std::string(kOrgUrl) + "/oauth2/v1/introspect";
  auto in = send("/oauth2/v1/introspect",
                 "token=" + at + "&client_assertion_type=" + enc(kJwtBearer) + "&client_assertion=" + assertion(cid_, key));
  EXPECT_TRUE(in.went_outbound);
  EXPECT_EQ(in.final.res.status, 200) << in.final.res.body;
  EXPECT_TRUE(in.final.body.at("active").as_bool());
  assertion_aud_ = std::string(kOrgUrl) + "/oauth2/v1/revoke";
  auto rv = send("/oauth2/v1/revoke",
                 "token=" + at + "&client_assertion_type=" + enc(kJwtBearer) + "&client_assertion=" + assertion(cid_, key));
  EXPECT_FALSE(rv.went_outbound);
  EXPECT_EQ(rv.final.res.status, 200) << rv.final.res.body;
  EXPECT_EQ(fetcher_.urls.size(), 2u);
}

TEST_F(JwksUriAuthTest, WithoutACacheSuchAppsCannotAuthenticate) {
  env_.jwks_cache = nullptr;
  auto& key = client_key(jose::Alg::RS256, "uri-rs");
  auto x = token(assertion(cid_, key));
  EXPECT_FALSE(x.went_outbound);
  EXPECT_EQ(x.final.res.status, 401);
  EXPECT_EQ(x.final.error(), "invalid_client");
}

}  // namespace
}  // namespace gh::oauth::testing
