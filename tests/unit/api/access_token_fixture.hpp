#pragma once
// The management API in process with access tokens of the org AS minted directly (no token
// endpoint): one service client, its grants and roles, and calls with any Authorization header.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <memory>
#include <mutex>

#include "api/common/management_api.hpp"
#include "jose/jws.hpp"
#include "keys/signing_keys.hpp"
#include "testing/org_fixture.hpp"

namespace gh::api::testing {
namespace json = boost::json;

constexpr std::string_view kClient = "0oaservice";

class AccessTokenFixture : public gh::testing::OrgFixture {
 protected:
  AccessTokenFixture() {
    auto first = add_org("");
    ssws_ = first.token;
    org_ = first.org;
    api_ = make_management_api();
    domain::Document app{"app", std::string(kClient), "", {}};
    app.body = {{"id", kClient}, {"status", "ACTIVE"}, {"signOnMode", "OPENID_CONNECT"}};
    put(app);
  }
  std::int64_t now_s() const { return now() / 1000; }

  void commit(store::ChangeSet cs) { commit_to(*org_, cs); }
  void put(domain::Document d) { commit({store::PutDocument{std::move(d)}}); }
  void grant(std::string scope) {
    domain::Document g{"scope_grant", "oag" + scope, std::string(kClient), {}};
    g.body = {{"id", g.id}, {"status", "ACTIVE"}, {"clientId", kClient}, {"scopeId", scope}};
    put(g);
  }
  void revoke_grant(std::string scope) { commit({store::DeleteDocument{"scope_grant", "oag" + scope}}); }
  void role(std::string type) {
    domain::RoleAssignment r;
    r.id = "irb" + type;
    r.principal_type = domain::PrincipalType::CLIENT;
    r.principal_id = std::string(kClient);
    r.type = type;
    commit({store::PutRole{r}});
  }

  std::string mint(std::vector<std::string> scopes, std::string_view as_id = "", std::string jti = "AT.1",
                   std::int64_t ttl = 3600, json::object extra = {}) {
    json::array scp;
    for (auto& s : scopes) scp.push_back(json::string(s));
    auto iss = as_id.empty() ? org_->url() : org_->url() + "/oauth2/" + std::string(as_id);
    json::object c{{"ver", 1},  {"jti", jti},  {"iss", iss},
                   {"aud", as_id.empty() ? org_->url() : std::string("api://default")},
                   {"iat", now_s()}, {"exp", now_s() + ttl}, {"cid", kClient}, {"scp", scp}, {"sub", kClient}};
    for (auto& [k, v] : extra) c[k] = v;
    auto key = keyring_.active(*org_, as_id);
    return *jose::sign(*key->alg(), *key, {{"kid", key->kid()}}, json::serialize(c));
  }

  // One request; `dpop` headers (proofs) are sent as given, any number of them.
  http::Response call(http::Method m, std::string path, std::string authorization, std::string body = "",
                      std::vector<std::string> dpop = {}) {
    http::Request req;
    req.method = m;
    req.path = path;
    auth_ = std::move(authorization);
    dpop_ = std::move(dpop);
    req.headers.emplace_back("Authorization", auth_);
    for (auto& p : dpop_) req.headers.emplace_back("DPoP", p);
    body_ = std::move(body);
    if (!body_.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.body = body_;
    req.request_id = "rid";
    return api_->handle(req, *org_, req.path);
  }
  static std::string header(const http::Response& r, std::string_view name) {
    for (auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  model::OrgModel* org_ = nullptr;
  std::unique_ptr<ManagementApi> api_;
  std::string ssws_;
  std::vector<std::string> dpop_;
};

}  // namespace gh::api::testing
