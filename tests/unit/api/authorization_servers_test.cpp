// /api/v1/authorizationServers in process: a real SQLite store, the read model and a FakeClock.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "testing/org_fixture.hpp"

#include "api/authorization_servers/defaults.hpp"
#include "api/common/management_api.hpp"
#include "api/common/renderer.hpp"
#include "api/orgs/bootstrap.hpp"
#include "core/time_format.hpp"
#include "keys/signing_keys.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/temp_dir.hpp"

namespace gh::api {
namespace {
using namespace std::chrono_literals;
namespace json = boost::json;
using M = http::Method;

const std::string kBase = "/api/v1/authorizationServers";

class AuthorizationServerTest : public testing::OrgFixture {
 protected:
  AuthorizationServerTest() : OrgFixture(11) {
    org_ = add_org("", &token_);
    api_ = make_management_api();
  }

  model::OrgModel* add_org(std::string slug, std::string* token) {
    auto o = OrgFixture::add_org(std::move(slug));
    *token = o.token;
    return o.org;
  }

  http::Response call(M m, std::string path, std::string body = "", model::OrgModel* org = nullptr,
                      std::string token = "") {
    return send(*api_, org ? *org : *org_, m, std::move(path), std::move(body), token.empty() ? token_ : token);
  }
  static json::value parse(const http::Response& r) { return json::parse(r.body); }
  static std::string header(const http::Response& r, std::string_view name) {
    for (auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }
  // Creates an AS and returns its id.
  std::string create_server(std::string name, std::string extra = "") {
    auto r = call(M::post, kBase, R"({"name":")" + name + R"(","audiences":["api://)" + name + "\"]" + extra + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(parse(r).at("id").as_string()) : "";
  }
  std::vector<const domain::Document*> keys(std::string_view as_id, std::string_view status) {
    return keys::signing_keys(*org_, as_id, status);
  }

  model::OrgModel* org_ = nullptr;
  std::unique_ptr<ManagementApi> api_;
  std::string token_;
};

TEST_F(AuthorizationServerTest, DefaultsExistAfterBootstrap) {
  // The org AS: ACTIVE + NEXT RS256 keys with parent "".
  ASSERT_EQ(keys("", "ACTIVE").size(), 1u);
  ASSERT_EQ(keys("", "NEXT").size(), 1u);
  EXPECT_EQ(keys("", "ACTIVE")[0]->body.at("alg"), "RS256");
  EXPECT_NE(keyring_.active(*org_, ""), nullptr);

  auto* as = org_->doc(domain::kind::auth_server, "default");
  ASSERT_NE(as, nullptr);
  EXPECT_EQ(keys("default", "ACTIVE").size(), 1u);
  EXPECT_EQ(keys("default", "NEXT").size(), 1u);
  std::set<std::string> scopes;
  for (auto* s : org_->children(domain::kind::as_scope, "default")) {
    EXPECT_EQ(s->body.at("system"), true);
    scopes.insert(std::string(s->body.at("name").as_string()));
  }
  EXPECT_EQ(scopes, (std::set<std::string>{"openid", "profile", "email", "address", "phone", "offline_access",
                                           "device_sso"}));
  auto policies = org_->children(domain::kind::as_policy, "default");
  ASSERT_EQ(policies.size(), 1u);
  EXPECT_EQ(policies[0]->body.at("name"), "Default Policy");
  EXPECT_EQ(policies[0]->body.at("priority"), 1);
  EXPECT_EQ(policies[0]->body.at("conditions").at("clients").at("include"), json::array{"ALL_CLIENTS"});
  auto rules = org_->children(domain::kind::as_rule, policies[0]->id);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0]->body.at("name"), "Default Policy Rule");
  auto grants = rules[0]->body.at("conditions").at("grantTypes").at("include").as_array();
  EXPECT_NE(std::find(grants.begin(), grants.end(), json::value("client_credentials")), grants.end());
  EXPECT_EQ(rules[0]->body.at("conditions").at("scopes").at("include"), json::array{"*"});
  EXPECT_EQ(rules[0]->body.at("actions").at("token").at("accessTokenLifetimeMinutes"), 60);
  EXPECT_EQ(rules[0]->body.at("_gh").at("authServerId"), "default");

  // On the wire (okta-compat.md §5 Authorization server).
  auto r = call(M::get, kBase + "/default");
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = parse(r).as_object();
  EXPECT_EQ(o.at("issuer"), "http://gh.test/oauth2/default");
  EXPECT_EQ(o.at("audiences"), json::array{"api://default"});
  EXPECT_EQ(o.at("status"), "ACTIVE");
  EXPECT_EQ(o.at("credentials").at("signing").at("kid"), json::value(keys("default", "ACTIVE")[0]->id));
  EXPECT_EQ(o.at("_links").at("self").at("href"), "http://gh.test/api/v1/authorizationServers/default");
  EXPECT_FALSE(o.contains("_gh"));
  auto list = call(M::get, kBase);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(parse(list).as_array().size(), 1u);  // the org AS is not listed
}

TEST_F(AuthorizationServerTest, EnsureOAuthDefaultsFillsOlderOrgsOnce) {
  domain::Org old{"00oOLDORG0000000000", "old", "Old", now()};
  ASSERT_TRUE(store_->create_org(old, {}));
  auto& org = deps_.add_org(*store_->load_org(core::OrgId{old.id}));
  ASSERT_EQ(org.doc(domain::kind::auth_server, "default"), nullptr);
  ASSERT_TRUE(ensure_oauth_defaults(*store_, org, random_, sealer_, now()));
  EXPECT_NE(org.doc(domain::kind::auth_server, "default"), nullptr);
  EXPECT_EQ(keys::signing_keys(org, "", "ACTIVE").size(), 1u);
  EXPECT_EQ(org.children(domain::kind::as_policy, "default").size(), 1u);
  auto version = org.version();
  ASSERT_TRUE(ensure_oauth_defaults(*store_, org, random_, sealer_, now()));
  EXPECT_EQ(org.version(), version);  // nothing missing: nothing written
  auto snap = store_->load_org(core::OrgId{old.id});  // durable, not only in the model
  ASSERT_TRUE(snap);
  EXPECT_GE(snap->documents.size(), 14u);
}

TEST_F(AuthorizationServerTest, ServerCrudAndDeleteRules) {
  auto id = create_server("orders", R"(,"description":"Orders API")");
  ASSERT_EQ(id.size(), 20u);
  EXPECT_EQ(id.substr(0, 3), "aus");
  EXPECT_EQ(org_->children(domain::kind::as_scope, id).size(), 7u);  // system scopes
  EXPECT_EQ(keys(id, "ACTIVE").size(), 1u);
  EXPECT_EQ(keys(id, "NEXT").size(), 1u);
  ASSERT_TRUE(call(M::post, kBase + "/" + id + "/scopes", R"({"name":"orders.read"})").status == 201);
  auto pol = call(M::post, kBase + "/" + id + "/policies",
                  R"({"name":"P","conditions":{"clients":{"include":["ALL_CLIENTS"]}}})");
  ASSERT_EQ(pol.status, 201) << pol.body;
  auto pid = std::string(parse(pol).at("id").as_string());
  auto rule = call(M::post, kBase + "/" + id + "/policies/" + pid + "/rules",
                   R"({"name":"R","conditions":{"grantTypes":{"include":["client_credentials"]},"scopes":{"include":["orders.read"]}}})");
  ASSERT_EQ(rule.status, 201) << rule.body;
  auto rid = std::string(parse(rule).at("id").as_string());
  auto inactive = create_server("archive");

  struct Case {
    std::string name;
    M method;
    std::string path, body;
    int want;
    std::string code;
  };
  const Case cases[] = {
      {"missing name", M::post, kBase, R"({"audiences":["x"]})", 400, "E0000001"},
      {"missing audiences", M::post, kBase, R"({"name":"x"})", 400, "E0000001"},
      {"empty audiences", M::post, kBase, R"({"name":"x","audiences":[]})", 400, "E0000001"},
      {"duplicate name", M::post, kBase, R"({"name":"ORDERS","audiences":["x"]})", 400, "E0000001"},
      {"unknown alg", M::post, kBase, R"({"name":"x","audiences":["x"],"signing":{"alg":"HS256"}})", 400, "E0000001"},
      {"malformed", M::post, kBase, "{", 400, "E0000003"},
      {"get", M::get, kBase + "/" + id, "", 200, ""},
      {"get unknown", M::get, kBase + "/ausNOPE", "", 404, "E0000007"},
      {"replace", M::put, kBase + "/" + id, R"({"name":"orders2","audiences":["api://o2"],"description":"d"})", 200, ""},
      {"replace alg", M::put, kBase + "/" + id, R"({"name":"orders2","audiences":["a"],"signing":{"alg":"ES256"}})", 400, "E0000001"},
      // okta-compat.md §5: delete → 204 whether the server is ACTIVE or INACTIVE.
      {"delete ACTIVE", M::delete_, kBase + "/" + id, "", 204, ""},
      {"gone", M::get, kBase + "/" + id, "", 404, "E0000007"},
      {"delete again", M::delete_, kBase + "/" + id, "", 404, "E0000007"},
      {"deactivate", M::post, kBase + "/" + inactive + "/lifecycle/deactivate", "", 204, ""},
      {"delete INACTIVE", M::delete_, kBase + "/" + inactive, "", 204, ""},
      {"gone too", M::get, kBase + "/" + inactive, "", 404, "E0000007"},
      {"deactivate default", M::post, kBase + "/default/lifecycle/deactivate", "", 204, ""},
      {"delete default", M::delete_, kBase + "/default", "", 400, "E0000001"},
      {"activate default", M::post, kBase + "/default/lifecycle/activate", "", 204, ""},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = call(c.method, c.path, c.body);
    EXPECT_EQ(r.status, c.want) << r.body;
    if (!c.code.empty()) {
      EXPECT_NE(r.body.find(c.code), std::string::npos) << r.body;
    }
    if (r.status == 204) {
      EXPECT_TRUE(r.content_type.empty());
    }
    if (c.name == "replace") {
      auto o = parse(r).as_object();
      EXPECT_EQ(o.at("name"), "orders2");
      EXPECT_EQ(o.at("audiences"), json::array{"api://o2"});
      EXPECT_EQ(o.at("status"), "ACTIVE");
    }
  }
  // Everything of the deleted server went with it, the rules of its policies included.
  EXPECT_EQ(org_->children(domain::kind::as_scope, id).size(), 0u);
  EXPECT_EQ(org_->children(domain::kind::signing_key, id).size(), 0u);
  EXPECT_EQ(org_->doc(domain::kind::as_policy, pid), nullptr);
  EXPECT_EQ(org_->doc(domain::kind::as_rule, rid), nullptr);
  auto snap = store_->load_org(org_->id());
  for (auto& d : snap->documents) {
    EXPECT_TRUE(d.parent != id && d.parent != pid && d.id != id) << d.kind << " " << d.id;
  }
}

TEST_F(AuthorizationServerTest, ListPagesWithQueryAndLinks) {
  for (auto n : {"alpha", "beta", "gamma"}) create_server(n);
  auto r = call(M::get, kBase + "?limit=2");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(parse(r).as_array().size(), 2u);
  auto link = header(r, "Link");
  EXPECT_NE(link.find("rel=\"self\""), std::string::npos);
  bool has_next = false;
  for (auto& [k, v] : r.headers) has_next = has_next || (k == "Link" && v.find("rel=\"next\"") != std::string::npos);
  EXPECT_TRUE(has_next);
  r = call(M::get, kBase + "?q=GAM");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(parse(r).as_array().size(), 1u);
  EXPECT_EQ(parse(r).as_array()[0].at("name"), "gamma");
  EXPECT_EQ(parse(call(M::get, kBase + "?q=api://default")).as_array().size(), 1u);  // audiences too
}

TEST_F(AuthorizationServerTest, ScopeNamesAreUniquePerServer) {
  const std::string scopes = kBase + "/default/scopes";
  auto r = call(M::post, scopes, R"({"name":"orders.read","description":"Read orders","consent":"REQUIRED"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto scope = parse(r).as_object();
  EXPECT_EQ(scope.at("id").as_string().subview().substr(0, 3), "scp");
  EXPECT_EQ(scope.at("system"), false);
  EXPECT_EQ(scope.at("consent"), "REQUIRED");
  auto id = std::string(scope.at("id").as_string());
  struct Case {
    std::string name;
    M method;
    std::string path, body;
    int want;
  };
  const Case cases[] = {
      {"duplicate", M::post, scopes, R"({"name":"orders.read"})", 400},
      {"duplicate of a system scope", M::post, scopes, R"({"name":"openid"})", 400},
      {"space in name", M::post, scopes, R"({"name":"a b"})", 400},
      {"okta scope", M::post, scopes, R"({"name":"okta.users.read"})", 400},
      {"bad consent", M::post, scopes, R"({"name":"x","consent":"MAYBE"})", 400},
      {"same name on another server", M::post, kBase + "/" + create_server("other") + "/scopes",
       R"({"name":"orders.read"})", 201},
      {"rename to itself", M::put, scopes + "/" + id, R"({"name":"orders.read","description":"new"})", 200},
      {"rename onto another", M::put, scopes + "/" + id, R"({"name":"email"})", 400},
      {"list", M::get, scopes + "?q=orders", "", 200},
      {"delete", M::delete_, scopes + "/" + id, "", 204},
      {"deleted", M::get, scopes + "/" + id, "", 404},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = call(c.method, c.path, c.body);
    EXPECT_EQ(res.status, c.want) << res.body;
    if (c.want == 400) {
      EXPECT_NE(res.body.find("E0000001"), std::string::npos);
    }
    if (c.name == "list") {
      EXPECT_EQ(parse(res).as_array().size(), 1u);
    }
  }
}

TEST_F(AuthorizationServerTest, ClaimValuesAreLiteralsOrAppClientId) {
  struct Case {
    std::string name, body;
    int want;
  };
  auto claim = [](std::string name, std::string value, std::string extra = "") {
    json::object o{{"name", name}, {"claimType", "RESOURCE"}, {"valueType", "EXPRESSION"}, {"value", value}};
    return json::serialize(o).insert(1, extra);
  };
  const Case cases[] = {
      {"string literal", claim("tenant", "\"acme\""), 201},
      {"escaped quote", claim("t2", "\"a\\\"b\""), 201},
      {"empty literal", claim("t3", "\"\""), 201},
      {"app.clientId", claim("client", "app.clientId"), 201},
      {"padded", claim("client2", "  app.clientId "), 201},
      {"with a known scope", claim("t4", "\"x\"", R"("conditions":{"scopes":["openid"]},)"), 201},
      {"concatenation", claim("c1", "\"a\" + \"b\""), 400},
      {"two literals", claim("c2", "\"a\"\"b\""), 400},
      {"single-quoted", claim("c7", "'acme'"), 400},
      {"unterminated", claim("c8", "\"acme"), 400},
      {"unquoted", claim("c3", "acme"), 400},
      {"user expression", claim("c4", "user.email"), 400},
      {"method call", claim("c5", "String.toUpperCase(\"a\")"), 400},
      {"empty", claim("c6", ""), 400},
      {"reserved name", claim("sub", "\"x\""), 400},
      {"duplicate name", claim("tenant", "\"y\""), 400},
      {"unknown scope", claim("t5", "\"x\"", R"("conditions":{"scopes":["nope"]},)"), 400},
      {"GROUPS", R"({"name":"g","claimType":"RESOURCE","valueType":"GROUPS","value":"x"})", 400},
      {"no claimType", R"({"name":"g","valueType":"EXPRESSION","value":"\"x\""})", 400},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = call(M::post, kBase + "/default/claims", c.body);
    EXPECT_EQ(r.status, c.want) << r.body;
    if (c.want == 400) {
      EXPECT_NE(r.body.find("E0000001"), std::string::npos);
    }
    if (c.want == 201) {
      auto o = parse(r).as_object();
      EXPECT_EQ(o.at("id").as_string().subview().substr(0, 3), "ocl");
      EXPECT_EQ(o.at("status"), "ACTIVE");
      EXPECT_FALSE(o.contains("_gh"));
    }
  }
  // Claims can be deleted whatever their status (okta-compat.md §11.16).
  auto list = parse(call(M::get, kBase + "/default/claims")).as_array();
  ASSERT_EQ(list.size(), 6u);
  auto id = std::string(list[0].at("id").as_string());
  EXPECT_EQ(call(M::delete_, kBase + "/default/claims/" + id).status, 204);
}

TEST_F(AuthorizationServerTest, PolicyAndRuleValidation) {
  const std::string policies = kBase + "/default/policies";
  auto bad_policy = call(M::post, policies, R"({"name":"P","conditions":{"clients":{"include":["0oaNOPE"]}}})");
  EXPECT_EQ(bad_policy.status, 400);
  EXPECT_EQ(call(M::post, policies, R"({"name":"P"})").status, 400);
  EXPECT_EQ(call(M::post, policies, R"({"name":"P","conditions":{"clients":{"include":["ALL_CLIENTS","x"]}}})").status, 400);
  auto p = call(M::post, policies, R"({"name":"P","conditions":{"clients":{"include":["ALL_CLIENTS"]}}})");
  ASSERT_EQ(p.status, 201) << p.body;
  auto policy = parse(p).as_object();
  EXPECT_EQ(policy.at("type"), "OAUTH_AUTHORIZATION_POLICY");
  EXPECT_EQ(policy.at("priority"), 2);  // after "Default Policy"
  auto pid = std::string(policy.at("id").as_string());
  const std::string rules = policies + "/" + pid + "/rules";

  auto rule = [](std::string grants, std::string scopes, std::string extra = "") {
    return R"({"name":"R","conditions":{"grantTypes":{"include":)" + grants + R"(},"scopes":{"include":)" + scopes +
           "}}" + extra + "}";
  };
  struct Case {
    std::string name, body;
    int want;
  };
  const Case cases[] = {
      {"minimal", rule(R"(["client_credentials"])", R"(["*"])"), 201},
      {"named scopes", rule(R"(["client_credentials"])", R"(["openid","email"])"), 201},
      {"lifetime 5", rule(R"(["client_credentials"])", R"(["*"])", R"(,"actions":{"token":{"accessTokenLifetimeMinutes":5}})"), 201},
      {"lifetime 1440", rule(R"(["client_credentials"])", R"(["*"])", R"(,"actions":{"token":{"accessTokenLifetimeMinutes":1440}})"), 201},
      {"lifetime 4", rule(R"(["client_credentials"])", R"(["*"])", R"(,"actions":{"token":{"accessTokenLifetimeMinutes":4}})"), 400},
      {"lifetime 1441", rule(R"(["client_credentials"])", R"(["*"])", R"(,"actions":{"token":{"accessTokenLifetimeMinutes":1441}})"), 400},
      {"lifetime text", rule(R"(["client_credentials"])", R"(["*"])", R"(,"actions":{"token":{"accessTokenLifetimeMinutes":"60"}})"), 400},
      {"no grant types", rule("[]", R"(["*"])"), 400},
      {"unknown grant type", rule(R"(["magic"])", R"(["*"])"), 400},
      {"no scopes", rule(R"(["client_credentials"])", "[]"), 400},
      {"unknown scope", rule(R"(["client_credentials"])", R"(["orders.read"])"), 400},
      {"no conditions", R"({"name":"R"})", 400},
      {"unknown group", rule(R"(["client_credentials"])", R"(["*"])").insert(26, R"("people":{"groups":{"include":["00gNOPE"]}},)"), 400},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = call(M::post, rules, c.body);
    EXPECT_EQ(r.status, c.want) << r.body;
    if (c.want == 400) {
      EXPECT_NE(r.body.find("E0000001"), std::string::npos);
    }
    if (c.want == 201) {
      auto o = parse(r).as_object();
      EXPECT_EQ(o.at("id").as_string().subview().substr(0, 3), "0pr");
      EXPECT_EQ(o.at("type"), "RESOURCE_ACCESS");
      EXPECT_EQ(o.at("conditions").at("people").at("groups").at("include"), json::array{"EVERYONE"});
      EXPECT_FALSE(o.contains("_gh"));
    }
  }
  auto list = parse(call(M::get, rules)).as_array();
  ASSERT_EQ(list.size(), 4u);
  auto rid = std::string(list[0].at("id").as_string());
  EXPECT_EQ(org_->doc(domain::kind::as_rule, rid)->body.at("_gh").at("authServerId"), "default");
  // Lifecycle → 204; delete in any status (okta-compat.md §11.16); a rule of another policy is 404.
  EXPECT_EQ(call(M::post, rules + "/" + rid + "/lifecycle/deactivate").status, 204);
  EXPECT_EQ(parse(call(M::get, rules + "/" + rid)).at("status"), "INACTIVE");
  EXPECT_EQ(call(M::post, policies + "/" + pid + "/lifecycle/deactivate").status, 204);
  auto default_pid = org_->children(domain::kind::as_policy, "default")[0]->id == pid
                         ? org_->children(domain::kind::as_policy, "default")[1]->id
                         : org_->children(domain::kind::as_policy, "default")[0]->id;
  EXPECT_EQ(call(M::get, policies + "/" + default_pid + "/rules/" + rid).status, 404);
  EXPECT_EQ(call(M::delete_, rules + "/" + rid).status, 204);
  EXPECT_EQ(call(M::delete_, policies + "/" + pid).status, 204);
  EXPECT_EQ(org_->children(domain::kind::as_rule, pid).size(), 0u);
}

TEST_F(AuthorizationServerTest, KeyRotationMovesStatesAndKeepsOldKeysVerifiable) {
  auto old_active = keys("default", "ACTIVE")[0]->id;
  auto old_next = keys("default", "NEXT")[0]->id;
  auto before = keyring_.active(*org_, "default");
  ASSERT_NE(before, nullptr);
  EXPECT_EQ(before->kid(), old_active);

  auto listed = call(M::get, kBase + "/default/credentials/keys");
  ASSERT_EQ(listed.status, 200);
  auto listed_keys = parse(listed);
  for (auto& k : listed_keys.as_array()) {
    EXPECT_FALSE(k.as_object().contains("d"));
    EXPECT_FALSE(k.as_object().contains("_gh"));
    EXPECT_TRUE(k.as_object().contains("n"));
    EXPECT_TRUE(k.as_object().contains("_links"));
  }
  clock_.advance(1min);
  auto r = call(M::post, kBase + "/default/credentials/lifecycle/keyRotate", R"({"use":"sig"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(header(r, "Link"), "");  // okta-compat.md §1.6: the SDK would POST again
  auto arr = parse(r).as_array();
  ASSERT_EQ(arr.size(), 3u);
  std::map<std::string, std::string> status;
  for (auto& k : arr) status[std::string(k.at("kid").as_string())] = std::string(k.at("status").as_string());
  EXPECT_EQ(status[old_active], "EXPIRED");
  EXPECT_EQ(status[old_next], "ACTIVE");
  ASSERT_EQ(keys("default", "NEXT").size(), 1u);
  auto new_next = keys("default", "NEXT")[0]->id;
  EXPECT_EQ(status[new_next], "NEXT");
  EXPECT_NE(new_next, old_active);
  // New tokens use the new key at once; tokens signed with the old key still verify.
  auto after = keyring_.active(*org_, "default");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->kid(), old_next);
  auto verifier = keyring_.verifier(*org_, "default", old_active);
  ASSERT_NE(verifier, nullptr);
  EXPECT_EQ(verifier->kid(), old_active);
  EXPECT_NE(keyring_.jwks_json(*org_, "default").find(old_active), std::string::npos);
  EXPECT_EQ(parse(call(M::get, kBase + "/default")).at("credentials").at("signing").at("kid"), json::value(old_next));
  auto one = call(M::get, kBase + "/default/credentials/keys/" + old_active);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(parse(one).at("status"), "EXPIRED");
  // The org AS is untouched and its keys are not reachable through a custom AS.
  EXPECT_EQ(call(M::get, kBase + "/default/credentials/keys/" + keys("", "ACTIVE")[0]->id).status, 404);

  // At most two EXPIRED keys stay: the oldest goes on the third rotation.
  for (int i = 0; i < 3; ++i) {
    clock_.advance(1min);
    ASSERT_EQ(call(M::post, kBase + "/default/credentials/lifecycle/keyRotate", R"({"use":"sig"})").status, 200);
  }
  EXPECT_EQ(keys("default", "EXPIRED").size(), 2u);
  EXPECT_EQ(keys("default", "ACTIVE").size(), 1u);
  EXPECT_EQ(keys("default", "NEXT").size(), 1u);
  EXPECT_EQ(keyring_.verifier(*org_, "default", old_active), nullptr);
  EXPECT_EQ(org_->doc(domain::kind::signing_key, old_active), nullptr);
  EXPECT_EQ(call(M::post, kBase + "/default/credentials/lifecycle/keyRotate", R"({"use":"enc"})").status, 400);
}

TEST_F(AuthorizationServerTest, SigningAlgorithmIsChosenPerServer) {
  struct Case {
    std::string name, alg, kty, crv;
  };
  const Case cases[] = {{"RS256 by default", "", "RSA", ""}, {"ES256", "ES256", "EC", "P-256"}, {"EdDSA", "EdDSA", "OKP", "Ed25519"}};
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto id = create_server("s" + c.alg, c.alg.empty() ? "" : R"(,"signing":{"alg":")" + c.alg + "\"}");
    auto want = c.alg.empty() ? std::string("RS256") : c.alg;
    EXPECT_EQ(parse(call(M::get, kBase + "/" + id)).at("signing").at("alg"), json::value(want));
    auto ks = parse(call(M::get, kBase + "/" + id + "/credentials/keys")).as_array();
    ASSERT_EQ(ks.size(), 2u);
    for (auto& k : ks) {
      EXPECT_EQ(k.at("alg"), json::value(want));
      EXPECT_EQ(k.at("kty"), json::value(c.kty));
      if (!c.crv.empty()) {
        EXPECT_EQ(k.at("crv"), json::value(c.crv));
      }
    }
    auto active = keyring_.active(*org_, id);
    ASSERT_NE(active, nullptr);
    EXPECT_EQ(active->alg(), *jose::parse_alg(want));
    clock_.advance(1min);
    ASSERT_EQ(call(M::post, kBase + "/" + id + "/credentials/lifecycle/keyRotate", R"({"use":"sig"})").status, 200);
    auto next = keys(id, "NEXT");
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(next.front()->body.at("alg"), json::value(want));  // rotation keeps the algorithm
  }
}

TEST_F(AuthorizationServerTest, AnotherOrgsIdsAreNotFound) {
  std::string other_token;
  auto* other = add_org("acme", &other_token);
  auto id = create_server("mine");
  auto pid = org_->children(domain::kind::as_policy, "default")[0]->id;
  auto kid = keys("default", "ACTIVE")[0]->id;
  auto scope = org_->children(domain::kind::as_scope, id)[0]->id;
  const std::string paths[] = {kBase + "/" + id,
                               kBase + "/" + id + "/scopes",
                               kBase + "/" + id + "/credentials/keys",
                               kBase + "/default/policies/" + pid,
                               kBase + "/default/policies/" + pid + "/rules",
                               kBase + "/default/credentials/keys/" + kid,
                               kBase + "/default/scopes/" + scope};
  for (auto& p : paths) {
    SCOPED_TRACE(p);
    auto r = call(M::get, p, "", other, other_token);
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_NE(r.body.find("E0000007"), std::string::npos);
  }
  EXPECT_EQ(call(M::delete_, kBase + "/" + id, "", other, other_token).status, 404);
  EXPECT_EQ(call(M::post, kBase + "/" + id + "/credentials/lifecycle/keyRotate", R"({"use":"sig"})", other, other_token).status, 404);
  // The other org has its own `default`, with its own keys and issuer.
  auto r = call(M::get, kBase + "/default", "", other, other_token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(parse(r).at("issuer"), "http://gh.test/o/acme/oauth2/default");
  EXPECT_NE(parse(r).at("credentials").at("signing").at("kid"), json::value(kid));
}

TEST_F(AuthorizationServerTest, ReadOnlyAdminCanReadButNotManage) {
  auto created = call(M::post, "/api/v1/users?activate=true",
                      R"({"profile":{"login":"r@x.io","email":"r@x.io","firstName":"R","lastName":"O"},"credentials":{"password":{"value":"Passw0rd!x"}}})");
  ASSERT_EQ(created.status, 200) << created.body;
  auto uid = std::string(parse(created).at("id").as_string());
  ASSERT_EQ(call(M::post, "/api/v1/users/" + uid + "/roles", R"({"type":"READ_ONLY_ADMIN"})").status, 201);
  auto tok = call(M::post, "/api/v1/api-tokens", R"({"name":"ro","userId":")" + uid + "\"}");
  ASSERT_EQ(tok.status, 201) << tok.body;
  auto ro = std::string(parse(tok).at("token").as_string());
  EXPECT_EQ(call(M::get, kBase, "", nullptr, ro).status, 200);
  EXPECT_EQ(call(M::get, kBase + "/default/credentials/keys", "", nullptr, ro).status, 200);
  EXPECT_EQ(call(M::post, kBase, R"({"name":"x","audiences":["x"]})", nullptr, ro).status, 403);
  EXPECT_EQ(call(M::post, kBase + "/default/credentials/lifecycle/keyRotate", R"({"use":"sig"})", nullptr, ro).status, 403);
}

}  // namespace
}  // namespace gh::api

namespace gh::api {
namespace {

// MGMT-OAS listAuthorizationServers: id order, `limit` pages with a next Link only when more
// match, `after` continues, `q` matches the name or an audience.
TEST_F(AuthorizationServerTest, ListPagesInIdOrderAndSearchesNameAndAudiences) {
  create_server("billing");
  create_server("shipping");
  std::vector<std::string> all;
  auto listed = parse(call(M::get, kBase));
  for (auto& v : listed.as_array()) all.push_back(std::string(v.at("id").as_string()));
  ASSERT_EQ(all.size(), 3u) << "default and the two new ones";
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));

  std::vector<std::string> paged;
  std::string url = kBase + "?limit=2";
  for (int i = 0; i < 4 && !url.empty(); ++i) {
    auto r = call(M::get, url);
    ASSERT_EQ(r.status, 200);
    auto body = parse(r);
    for (auto& v : body.as_array()) paged.push_back(std::string(v.at("id").as_string()));
    url.clear();
    for (auto& [k, link] : r.headers) {  // self and next come as separate Link fields
      auto next = link.find(">; rel=\"next\"");
      if (k != "Link" || next == std::string::npos) continue;
      auto full = link.substr(1, next - 1);
      url = full.substr(full.find("/api/v1/"));
    }
  }
  EXPECT_EQ(paged, all);

  auto found = parse(call(M::get, kBase + "?q=SHIPP")).as_array();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("name"), "shipping");
  EXPECT_EQ(parse(call(M::get, kBase + "?q=api://billing")).as_array().size(), 1u);
  auto none = call(M::get, kBase + "?q=nothing-like-it");
  EXPECT_TRUE(parse(none).as_array().empty());
  EXPECT_EQ(header(none, "Link").find("rel=\"next\""), std::string::npos);
}

}  // namespace
}  // namespace gh::api
