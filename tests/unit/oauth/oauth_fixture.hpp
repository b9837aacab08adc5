#pragma once
// A real SQLite store, one org's read model, a FakeClock and the OAuth endpoints, with helpers
// that write apps, secrets, keys, grants and authorization servers as documents
// (docs/oauth-documents.md) through store::PutDocument, as the management API does.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "core/base64.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/time_format.hpp"
#include "crypto/credential.hpp"
#include "crypto/mac.hpp"
#include "crypto/sealer.hpp"
#include "jose/jws.hpp"
#include "jose/keys.hpp"
#include "model/directory.hpp"
#include "oauth/endpoints.hpp"
#include "oauth/grants/client_credentials.hpp"
#include "keys/signing_keys.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/engine_parts.hpp"
#include "testing/temp_dir.hpp"

namespace gh::oauth::testing {

namespace json = boost::json;
using namespace std::chrono_literals;

inline constexpr std::string_view kOrgUrl = "http://gh.test";
inline constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

class NullRenderer final : public model::Renderer {
 public:
  std::string render_user(std::string_view, const domain::User&) const override { return "{}"; }
  std::string render_group(std::string_view, const domain::Group&) const override { return "{}"; }
};

// One client key pair per algorithm family for the whole binary (RSA keygen is slow).
inline const jose::Jwk& client_key(jose::Alg alg, std::string kid) {
  static std::map<std::pair<jose::Alg, std::string>, jose::Jwk> cache;
  static std::mutex mu;
  std::lock_guard lk(mu);
  auto id = std::make_pair(alg, kid);
  auto it = cache.find(id);
  if (it == cache.end()) {
    auto pkey = jose::generate_for_alg(alg);
    EXPECT_TRUE(pkey.has_value());
    it = cache.emplace(id, jose::Jwk::from_pkey(std::move(*pkey), kid, alg).value()).first;
  }
  return it->second;
}

class OAuthFixture : public ::testing::Test {
 protected:
  OAuthFixture()
      : store_(store::open_sqlite_store(dir_.path() + "/g.db")),
        clock_(*core::parse_iso8601("2030-01-01T00:00:00Z")),
        random_(11),
        pepper_(std::string(32, 'p')),
        sealer_(std::string(32, 'm')),
        keyring_(sealer_),
        env_{directory_, *store_, clock_, random_, pepper_, keyring_} {
    domain::Org org{"00o1test", "", "Test", now_ms()};
    EXPECT_TRUE(store_->create_org(org, {}));
    auto snap = store_->load_org(core::OrgId{org.id});
    org_ = &directory_.add(std::make_unique<model::OrgModel>(std::move(*snap), std::string(kOrgUrl), renderer_));
    endpoints_ = make_endpoints();
  }

  domain::Millis now_ms() const { return core::epoch_ms(clock_.now()); }
  // The endpoints as the composition root builds them: shared parts, client_credentials.
  std::unique_ptr<Endpoints> make_endpoints(const Limits& limits = {}) {
    auto e = std::make_unique<Endpoints>(env_, parts_.oauth(), limits);
    e->add_grant(std::make_unique<ClientCredentialsGrant>());
    return e;
  }
  std::int64_t now_s() const { return now_ms() / 1000; }
  std::string id(std::string_view prefix) { return std::string(prefix) + core::random_base62(random_, 17); }

  void commit(store::ChangeSet changes) {
    ASSERT_TRUE(store_->commit(org_->id(), changes));
    std::unique_lock lk(org_->mutex());
    org_->apply(changes);
  }
  void put(std::string_view kind, std::string doc_id, std::string parent, json::object body) {
    body["id"] = doc_id;
    commit({store::PutDocument{{std::string(kind), std::move(doc_id), std::move(parent), std::move(body)}}});
  }

  // An OIDC service app (docs/oauth-documents.md, kind app); returns its client_id.
  std::string add_app(std::string_view method, std::string_view status = "ACTIVE", bool dpop = false) {
    auto cid = id("0oa");
    put(domain::kind::app, cid, "",
        {{"name", "oidc_client"}, {"label", "svc"}, {"status", status}, {"signOnMode", "OPENID_CONNECT"},
         {"credentials", {{"oauthClient", {{"client_id", cid}, {"token_endpoint_auth_method", method},
                                           {"autoKeyRotation", true}}}}},
         {"settings", {{"oauthClient", {{"application_type", "service"},
                                        {"grant_types", json::array{"client_credentials"}},
                                        {"response_types", json::array{"token"}},
                                        {"dpop_bound_access_tokens", dpop}}}}}});
    return cid;
  }
  // A generated gth_cs_ secret stored as its MAC; returns the value.
  std::string add_secret(const std::string& cid, std::string_view status = "ACTIVE") {
    auto secret = std::string(crypto::generate_credential(random_, crypto::CredentialKind::client_secret).reveal());
    auto mac = pepper_.mac(secret);
    put(domain::kind::client_secret, id("ocs"), cid,
        {{"status", status},
         {"client_secret", secret.substr(0, 11) + "..."},
         {"_gh", {{"mac", core::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()))}}}});
    return secret;
  }
  void add_key(const std::string& cid, const jose::Jwk& key, std::string_view status = "ACTIVE") {
    auto body = key.to_public_json();
    body["status"] = status;
    put(domain::kind::app_key, id("pks"), cid, std::move(body));
  }
  void add_grant(const std::string& cid, std::string_view scope, std::string_view status = "ACTIVE") {
    put(domain::kind::scope_grant, id("oag"), cid,
        {{"status", status}, {"issuer", kOrgUrl}, {"clientId", cid}, {"scopeId", scope}, {"source", "ADMIN"}});
  }
  void add_signing_key(std::string as_id, jose::Alg alg = jose::Alg::ES256) {
    auto d = keys::new_signing_key(alg, std::move(as_id), "ACTIVE", sealer_, random_, now_ms());
    ASSERT_TRUE(d.has_value());
    commit({store::PutDocument{std::move(*d)}});
  }
  // A custom AS with its scopes and an ACTIVE signing key.
  void add_auth_server(const std::string& as_id, json::array audiences, std::vector<std::string> scopes,
                       std::string_view status = "ACTIVE", jose::Alg alg = jose::Alg::ES256) {
    put(domain::kind::auth_server, as_id, "",
        {{"name", as_id}, {"audiences", std::move(audiences)}, {"status", status}, {"issuerMode", "ORG_URL"}});
    for (auto& s : scopes) put(domain::kind::as_scope, id("scp"), as_id, {{"name", s}, {"metadataPublish", "ALL_CLIENTS"}});
    add_signing_key(as_id, alg);
  }
  std::string add_policy(const std::string& as_id, int priority, json::array clients, std::string_view status = "ACTIVE") {
    auto pid = id("00p");
    put(domain::kind::as_policy, pid, as_id,
        {{"type", "OAUTH_AUTHORIZATION_POLICY"}, {"name", pid}, {"priority", priority}, {"status", status},
         {"conditions", {{"clients", {{"include", std::move(clients)}}}}}});
    return pid;
  }
  std::string add_rule(const std::string& policy_id, int priority, json::array grant_types, json::array scopes,
                       int minutes = 60, std::string_view status = "ACTIVE") {
    auto rid = id("0pr");
    put(domain::kind::as_rule, rid, policy_id,
        {{"name", rid}, {"type", "RESOURCE_ACCESS"}, {"priority", priority}, {"status", status},
         {"conditions", {{"grantTypes", {{"include", std::move(grant_types)}}}, {"scopes", {{"include", std::move(scopes)}}}}},
         {"actions", {{"token", {{"accessTokenLifetimeMinutes", minutes}}}}}});
    return rid;
  }

  // A signed client assertion: the Okta SDK's shape (okta-compat.md §4.1) with `claims` and
  // `header` members merged over it (a null value removes the member).
  std::string assertion(const std::string& cid, const jose::Jwk& key, json::object claims = {},
                        json::object header = {}, jose::Alg alg = jose::Alg::RS256) {
    json::object c{{"aud", assertion_aud_}, {"jti", id("jti-")}, {"iat", now_s()},
                   {"exp", now_s() + 300}, {"iss", cid}, {"sub", cid}};
    merge(c, claims);
    json::object h{{"typ", "JWT"}, {"kid", key.kid()}};
    merge(h, header);
    return jose::sign(alg, key, h, json::serialize(c)).value();
  }
  static void merge(json::object& into, const json::object& over) {
    for (auto& m : over) {
      if (m.value().is_null()) into.erase(m.key());
      else into[m.key()] = m.value();
    }
  }

  struct Call {
    http::Response res;
    json::object body;
    std::string header(std::string_view name) const {
      for (auto& [k, v] : res.headers)
        if (http::iequals(k, name)) return v;
      return {};
    }
    std::string error() const {
      auto* e = body.if_contains("error");
      return e && e->is_string() ? std::string(e->get_string()) : std::string();
    }
  };
  // POST `path` (org-relative) with a form body; `authorization` may be empty.
  Call post(std::string path, std::string form, std::string authorization = {},
            std::string content_type = "application/x-www-form-urlencoded", std::string dpop = {}) {
    http::Request req;
    req.method = http::Method::post;
    req.path = path;
    body_ = std::move(form);
    ctype_ = std::move(content_type);
    auth_ = std::move(authorization);
    dpop_ = std::move(dpop);
    req.headers.emplace_back("Content-Type", ctype_);
    if (!auth_.empty()) req.headers.emplace_back("Authorization", auth_);
    if (!dpop_.empty()) req.headers.emplace_back("DPoP", dpop_);
    req.body = body_;
    return finish(endpoints_->handle(req, *org_, path));
  }
  Call get(std::string path, http::Method m = http::Method::get) {
    http::Request req;
    req.method = m;
    req.path = path;
    return finish(endpoints_->handle(req, *org_, path));
  }
  static Call finish(http::Response res) {
    Call c{std::move(res), {}};
    boost::system::error_code ec;
    auto v = json::parse(c.res.body, ec);
    if (!ec && v.is_object()) c.body = v.get_object();
    return c;
  }
  // The claims of a JWT (unverified).
  static json::object jwt_claims(std::string_view jwt) {
    auto jws = jose::decode(jwt);
    EXPECT_TRUE(jws.has_value());
    return json::parse(jws->payload).as_object();
  }
  static json::object jwt_header(std::string_view jwt) { return jose::decode(jwt).value().header; }
  static std::string basic(std::string_view id, std::string_view secret) {
    return "Basic " + core::base64_encode(http::percent_encode(id) + ":" + http::percent_encode(secret));
  }
  static std::string str(const json::value& v) {
    return v.is_string() ? std::string(v.get_string()) : "<not a string: " + json::serialize(v) + ">";
  }
  static std::string enc(std::string_view s) { return http::percent_encode(s); }

  gh::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  core::FakeClock clock_;
  core::SeededRandom random_;
  crypto::Pepper pepper_;
  crypto::Sealer sealer_;
  keys::KeyRing keyring_;
  model::Directory directory_;
  NullRenderer renderer_;
  Env env_;
  gh::testing::EngineParts parts_{keyring_, clock_};
  model::OrgModel* org_ = nullptr;
  std::unique_ptr<Endpoints> endpoints_;
  std::string body_, ctype_, auth_, dpop_;
  std::string assertion_aud_ = std::string(kOrgUrl) + "/oauth2/v1/token";  // default aud of assertion()
};

}  // namespace gh::oauth::testing
