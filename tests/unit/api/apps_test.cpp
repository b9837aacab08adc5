// OIDC service apps, client secrets, app keys, scope grants and client roles through the
// management API in process: a real SQLite store, the read model and a FakeClock.
#include <gtest/gtest.h>

#include <algorithm>

#include "testing/org_fixture.hpp"
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <boost/json.hpp>

#include "api/apps/apps.hpp"
#include "api/common/management_api.hpp"
#include "api/common/renderer.hpp"
#include "api/orgs/bootstrap.hpp"
#include "core/base64.hpp"
#include "core/time_format.hpp"
#include "crypto/credential.hpp"
#include "jose/jwk.hpp"
#include "jose/keys.hpp"
#include "keys/signing_keys.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "testing/temp_dir.hpp"

namespace gh::api {
namespace {
namespace json = boost::json;
using M = http::Method;

// Public JWKs as a client would register them (RSA keygen is slow: once per binary).
json::object public_jwk(jose::PkeyPtr key, std::string kid) {
  auto jwk = jose::Jwk::from_pkey(std::move(key), std::move(kid));
  EXPECT_TRUE(jwk.has_value());
  return jwk->to_public_json();
}
const json::object& rsa_key() {
  static const json::object k = public_jwk(std::move(*jose::generate_rsa(2048)), "rsa-1");
  return k;
}
const json::object& rsa_key2() {
  static const json::object k = public_jwk(std::move(*jose::generate_rsa(2048)), "rsa-2");
  return k;
}
json::object ec_key(jose::Curve crv, std::string kid) { return public_jwk(std::move(*jose::generate_ec(crv)), kid); }
json::object with(json::object o, std::string_view k, json::value v) {
  o[k] = std::move(v);
  return o;
}
std::string b64_bn(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(key, name, &bn), 1);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return core::base64url_encode(bytes);
}
json::object rsa_1024() {  // below RFC 7518 §3.3, so jose cannot make it: OpenSSL directly
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(1024));
  json::object o{{"kty", "RSA"}, {"kid", "small"}, {"n", b64_bn(k, OSSL_PKEY_PARAM_RSA_N)},
                 {"e", b64_bn(k, OSSL_PKEY_PARAM_RSA_E)}};
  EVP_PKEY_free(k);
  return o;
}

std::string app_json(std::string_view method, json::array keys = {}, std::string extra_settings = "") {
  json::object settings{{"application_type", "service"},
                        {"grant_types", json::array{"client_credentials"}},
                        {"response_types", json::array{"token"}}};
  if (!keys.empty()) settings["jwks"] = json::object{{"keys", std::move(keys)}};
  auto s = json::serialize(settings);
  if (!extra_settings.empty()) s = s.substr(0, s.size() - 1) + "," + extra_settings + "}";
  return R"({"label":"svc","name":"oidc_client","signOnMode":"OPENID_CONNECT",)"
         R"("credentials":{"oauthClient":{"token_endpoint_auth_method":")" +
         std::string(method) + R"("}},"settings":{"oauthClient":)" + s + "}}";
}

class AppsApiTest : public testing::OrgFixture {
 protected:
  AppsApiTest() : OrgFixture(11) {
    org_ = add_org("", token_);
    api_ = make_management_api();
  }

  model::OrgModel* add_org(std::string slug, std::string& token) {
    auto o = OrgFixture::add_org(slug, "admin@" + slug + "x.io");
    token = o.token;
    return o.org;
  }

  http::Response call(M m, std::string path, std::string body = "", model::OrgModel* org = nullptr,
                      const std::string* token = nullptr, bool json_type = false) {
    return send(*api_, org ? *org : *org_, m, std::move(path), std::move(body), token ? *token : token_, json_type);
  }

  static json::object obj(const http::Response& r) { return json::parse(r.body).as_object(); }
  static std::string str(const json::value& v, std::string_view path) {
    const json::value* cur = &v;
    std::string_view p = path;
    while (!p.empty()) {
      auto dot = p.find('.');
      cur = &cur->as_object().at(p.substr(0, dot));
      p = dot == std::string_view::npos ? std::string_view{} : p.substr(dot + 1);
    }
    return std::string(cur->as_string());
  }
  static bool has_header(const http::Response& r, std::string_view name) {
    for (auto& [k, v] : r.headers)
      if (k == name) return true;
    return false;
  }
  static void expect_invalid(const http::Response& r) {
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("E0000001"), std::string::npos) << r.body;
    if (r.status == 400) {
      EXPECT_FALSE(json::parse(r.body).at("errorCauses").as_array().empty()) << r.body;
    }
  }

  // Creates an app; returns its JSON.
  json::object create(std::string body, std::string query = "") {
    auto r = call(M::post, "/api/v1/apps" + query, std::move(body));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? obj(r) : json::object{};
  }
  std::string create_id(std::string body, std::string query = "") {
    auto o = create(std::move(body), std::move(query));
    return o.contains("id") ? std::string(o.at("id").as_string()) : std::string();
  }

  std::string token_;
  model::OrgModel* org_ = nullptr;
  std::unique_ptr<ManagementApi> api_;
};

TEST_F(AppsApiTest, CreateGeneratesTheIdAndShowsTheFirstSecretOnce) {
  auto body = app_json("client_secret_basic");
  body.insert(1, R"("id":"0oaMINE","status":"INACTIVE","created":"2001-01-01T00:00:00.000Z","_links":{"x":1},)");
  body.replace(body.find(R"("token_endpoint_auth_method")"), 0, R"("client_id":"mine",)");
  auto res = call(M::post, "/api/v1/apps", body);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.content_type, "application/json");
  auto app = obj(res);
  auto id = str(app, "id");
  EXPECT_EQ(id.size(), 20u);
  EXPECT_TRUE(id.starts_with("0oa"));
  EXPECT_EQ(str(app, "credentials.oauthClient.client_id"), id);
  EXPECT_EQ(str(app, "status"), "ACTIVE");
  EXPECT_EQ(str(app, "created"), "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(str(app, "signOnMode"), "OPENID_CONNECT");
  EXPECT_EQ(str(app, "name"), "oidc_client");
  EXPECT_EQ(str(app, "_links.self.href"), "http://gh.test/api/v1/apps/" + id);
  EXPECT_FALSE(app.at("_links").as_object().contains("x"));
  EXPECT_TRUE(app.at("_links").at("appLinks").is_array());
  auto secret = str(app, "credentials.oauthClient.client_secret");
  EXPECT_TRUE(crypto::is_well_formed(secret, crypto::CredentialKind::client_secret));

  // Later reads never show it; the secret list shows the hint only.
  auto got = call(M::get, "/api/v1/apps/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body.find(secret.substr(0, 20)), std::string::npos);
  EXPECT_FALSE(obj(got).at("credentials").at("oauthClient").as_object().contains("client_secret"));
  auto list = call(M::get, "/api/v1/apps/" + id + "/credentials/secrets");
  ASSERT_EQ(list.status, 200);
  auto secrets = json::parse(list.body).as_array();
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_EQ(str(secrets[0], "client_secret"), secret.substr(0, 11) + "\u2026");
  EXPECT_EQ(list.body.find(secret.substr(0, 20)), std::string::npos);

  // Stored per docs/oauth-documents.md: the MAC, the fingerprint and the hint, never the value.
  auto docs = org_->children(domain::kind::client_secret, id);
  ASSERT_EQ(docs.size(), 1u);
  auto mac = pepper_.mac(secret);
  EXPECT_EQ(str(docs[0]->body, "_gh.mac"),
            core::base64url_encode({reinterpret_cast<const char*>(mac.data()), mac.size()}));
  auto digest = crypto::sha256(secret);
  EXPECT_EQ(str(docs[0]->body, "secret_hash"),
            core::base64url_encode({reinterpret_cast<const char*>(digest.data()), 16}));
  EXPECT_EQ(json::serialize(docs[0]->body).find(secret.substr(0, 20)), std::string::npos);
  auto* doc = org_->doc(domain::kind::app, id);
  ASSERT_NE(doc, nullptr);
  EXPECT_FALSE(doc->body.contains("_links"));
  EXPECT_EQ(doc->body.at("settings").at("oauthClient").at("grant_types"), (json::array{"client_credentials"}));
  EXPECT_FALSE(doc->body.at("settings").at("oauthClient").as_object().contains("jwks"));
}


TEST_F(AppsApiTest, CreateRefusesAnythingButAnOidcServiceApp) {
  auto base = app_json("client_secret_basic");
  auto swap = [&](std::string from, std::string to) {
    auto b = base;
    auto at = b.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return b.replace(at, from.size(), to);
  };
  struct Case {
    std::string name, body;
  };
  const Case cases[] = {
      {"saml sign-on mode", swap(R"("OPENID_CONNECT")", R"("SAML_2_0")")},
      {"sign-on mode missing", swap(R"("signOnMode":"OPENID_CONNECT",)", "")},
      {"another name", swap(R"("oidc_client")", R"("bookmark")")},
      {"label missing", swap(R"("label":"svc",)", "")},
      {"label not a string", swap(R"("label":"svc")", R"("label":7)")},
      {"label too long", swap(R"("label":"svc")", R"("label":")" + std::string(256, 'x') + "\"")},
      {"web app", swap(R"("service")", R"("web")")},
      {"authorization_code", swap(R"(["client_credentials"])", R"(["authorization_code"])")},
      {"two grant types", swap(R"(["client_credentials"])", R"(["client_credentials","refresh_token"])")},
      {"grant_types not an array", swap(R"(["client_credentials"])", R"("client_credentials")")},
      {"grant_types missing", swap(R"("grant_types":["client_credentials"],)", "")},
      {"code response type", swap(R"(["token"])", R"(["code"])")},
      {"auth method none", swap(R"("client_secret_basic")", R"("none")")},
      {"auth method not a string", swap(R"("client_secret_basic")", "true")},
      {"settings missing", R"({"label":"svc","signOnMode":"OPENID_CONNECT"})"},
      {"oauthClient not an object", swap(R"("settings":{"oauthClient":{)", R"("settings":{"oauthClient":3,"x":{)")},
      {"dpop not a bool", swap(R"("response_types")", R"("dpop_bound_access_tokens":"yes","response_types")")},
      {"private_key_jwt without keys", app_json("private_key_jwt")},
      {"jwks and jwks_uri", app_json("private_key_jwt", json::array{rsa_key()},
                                     R"("jwks_uri":"https://keys.example.com/jwks")")},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    expect_invalid(call(M::post, "/api/v1/apps", c.body));
  }
  EXPECT_TRUE(org_->docs(domain::kind::app).empty());
  auto bad_json = call(M::post, "/api/v1/apps", "{");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_NE(bad_json.body.find("E0000003"), std::string::npos);
  expect_invalid(call(M::post, "/api/v1/apps?activate=maybe", base));
  // Unknown fields are ignored.
  auto extra = base;
  extra.insert(1, R"("visibility":{"hide":true},"features":[],)");
  EXPECT_EQ(call(M::post, "/api/v1/apps", extra).status, 200);
}

TEST_F(AppsApiTest, LifecycleAndDeleteRules) {
  auto inactive = create(app_json("client_secret_post"), "?activate=false");
  EXPECT_EQ(str(inactive, "status"), "INACTIVE");
  auto id = create_id(app_json("client_secret_basic"));
  ASSERT_EQ(call(M::post, "/oauth2/v1/clients/" + id + "/roles", R"({"type":"READ_ONLY_ADMIN"})").status, 200);
  ASSERT_EQ(call(M::post, "/api/v1/apps/" + id + "/grants",
                 R"({"issuer":"http://gh.test","scopeId":"okta.groups.read"})").status, 201);

  auto del = call(M::delete_, "/api/v1/apps/" + id);
  expect_invalid(del);  // ACTIVE
  auto off = call(M::post, "/api/v1/apps/" + id + "/lifecycle/deactivate");
  EXPECT_EQ(off.status, 200);
  EXPECT_TRUE(off.body.empty());
  EXPECT_TRUE(off.content_type.empty());
  auto off_app = call(M::get, "/api/v1/apps/" + id);
  EXPECT_EQ(str(obj(off_app), "status"), "INACTIVE");
  EXPECT_EQ(off_app.body.find("_gh"), std::string::npos);
  // Tokens issued before the deactivation stay dead after a later activate (the engine's rule).
  auto not_before = org_->doc(domain::kind::app, id)->body.at("_gh").at("tokensNotBefore");
  EXPECT_EQ(not_before.to_number<std::int64_t>(), core::epoch_ms(clock_.now()) / 1000);
  EXPECT_TRUE(json::parse(call(M::get, "/api/v1/apps?filter=_gh.tokensNotBefore%20pr").body).as_array().empty());
  ASSERT_EQ(call(M::put, "/api/v1/apps/" + id, app_json("client_secret_basic")).status, 200);
  EXPECT_EQ(org_->doc(domain::kind::app, id)->body.at("_gh").at("tokensNotBefore"), not_before);  // PUT keeps it
  EXPECT_EQ(call(M::post, "/api/v1/apps/" + id + "/lifecycle/deactivate").status, 200);  // idempotent
  EXPECT_EQ(call(M::post, "/api/v1/apps/" + id + "/lifecycle/activate").status, 200);
  EXPECT_EQ(str(obj(call(M::get, "/api/v1/apps/" + id)), "status"), "ACTIVE");
  ASSERT_EQ(call(M::post, "/api/v1/apps/" + id + "/lifecycle/deactivate").status, 200);

  // The store holds the app's children and its role before the delete, so the checks after the
  // reload below compare against something.
  auto held = store_->load_org(org_->id());
  ASSERT_TRUE(held);
  auto child_of_app = [&](const domain::Document& d) { return d.parent == id; };
  auto role_of_app = [&](const auto& r) { return r.principal_id == id; };
  ASSERT_EQ(std::count_if(held->documents.begin(), held->documents.end(), child_of_app), 2) << "a secret and a grant";
  ASSERT_EQ(std::count_if(held->roles.begin(), held->roles.end(), role_of_app), 1);

  auto gone = call(M::delete_, "/api/v1/apps/" + id);
  EXPECT_EQ(gone.status, 204);
  EXPECT_TRUE(gone.content_type.empty());
  auto get = call(M::get, "/api/v1/apps/" + id);
  EXPECT_EQ(get.status, 404);
  EXPECT_NE(get.body.find("E0000007"), std::string::npos);
  EXPECT_TRUE(org_->children(domain::kind::client_secret, id).empty());
  EXPECT_TRUE(org_->children(domain::kind::scope_grant, id).empty());
  EXPECT_TRUE(org_->roles_of(domain::PrincipalType::CLIENT, id).empty());
  // The store agrees after a reload.
  auto snap = store_->load_org(org_->id());
  ASSERT_TRUE(snap);
  ASSERT_FALSE(snap->documents.empty()) << "the reload holds the org's other documents";
  EXPECT_EQ(std::count_if(snap->documents.begin(), snap->documents.end(), child_of_app), 0);
  EXPECT_EQ(std::count_if(snap->roles.begin(), snap->roles.end(), role_of_app), 0);
  EXPECT_EQ(snap->documents.size(), held->documents.size() - 3) << "the app, its secret and its grant";
  EXPECT_EQ(snap->roles.size(), held->roles.size() - 1);
  for (auto path : {"/lifecycle/activate", "/lifecycle/deactivate"})
    EXPECT_EQ(call(M::post, "/api/v1/apps/" + id + path).status, 404);
}

TEST_F(AppsApiTest, ListPagesSearchesAndFilters) {
  std::vector<std::string> ids;
  for (auto label : {"alpha", "beta", "alpine"}) {
    auto b = app_json("client_secret_basic");
    b.replace(b.find("\"svc\""), 5, std::string("\"") + label + "\"");
    ids.push_back(create_id(b, label == std::string("beta") ? "?activate=false" : ""));
  }
  std::sort(ids.begin(), ids.end());
  auto page1 = call(M::get, "/api/v1/apps?limit=2");
  ASSERT_EQ(page1.status, 200);
  auto items = json::parse(page1.body).as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(str(items[0], "id"), ids[0]);
  std::string next;
  for (auto& [k, v] : page1.headers)
    if (k == "Link" && v.find("rel=\"next\"") != std::string::npos) next = v;
  EXPECT_NE(next.find("<http://gh.test/api/v1/apps?limit=2&after=" + ids[1] + ">"), std::string::npos) << next;
  auto page2 = call(M::get, "/api/v1/apps?limit=2&after=" + ids[1]);
  EXPECT_EQ(json::parse(page2.body).as_array().size(), 1u);
  for (auto& [k, v] : page2.headers) EXPECT_EQ(v.find("rel=\"next\""), std::string::npos);

  EXPECT_EQ(json::parse(call(M::get, "/api/v1/apps?q=alp").body).as_array().size(), 2u);
  auto active = json::parse(call(M::get, "/api/v1/apps?filter=status%20eq%20%22ACTIVE%22").body).as_array();
  EXPECT_EQ(active.size(), 2u);
  auto inactive = json::parse(call(M::get, "/api/v1/apps?filter=status%20eq%20%22INACTIVE%22").body).as_array();
  ASSERT_EQ(inactive.size(), 1u);
  EXPECT_EQ(str(inactive[0], "label"), "beta");
  EXPECT_EQ(call(M::get, "/api/v1/apps?filter=status%20eq").status, 400);
  EXPECT_EQ(json::parse(call(M::get, "/api/v1/apps?limit=500").body).as_array().size(), 3u);
}

TEST_F(AppsApiTest, ReplaceKeepsIdentityAndValidatesLikeCreate) {
  auto created = create(app_json("client_secret_basic"), "?activate=false");
  auto id = str(created, "id");
  clock_.advance(std::chrono::minutes(5));
  auto b = app_json("client_secret_post", {}, R"("dpop_bound_access_tokens":true)");
  b.replace(b.find("\"svc\""), 5, "\"renamed\"");
  b.insert(1, R"("id":"0oaOTHER","status":"ACTIVE",)");
  auto put = call(M::put, "/api/v1/apps/" + id, b);
  ASSERT_EQ(put.status, 200) << put.body;
  auto app = obj(put);
  EXPECT_EQ(str(app, "id"), id);
  EXPECT_EQ(str(app, "label"), "renamed");
  EXPECT_EQ(str(app, "status"), "INACTIVE");  // lifecycle only through lifecycle calls
  EXPECT_EQ(str(app, "created"), str(created, "created"));
  EXPECT_EQ(str(app, "lastUpdated"), "2030-01-01T00:05:00.000Z");
  EXPECT_EQ(str(app, "credentials.oauthClient.token_endpoint_auth_method"), "client_secret_post");
  EXPECT_TRUE(app.at("settings").at("oauthClient").at("dpop_bound_access_tokens").as_bool());
  EXPECT_FALSE(app.at("credentials").at("oauthClient").as_object().contains("client_secret"));  // has one
  EXPECT_TRUE(obj(call(M::get, "/api/v1/apps/" + id)).at("settings").at("oauthClient").at("dpop_bound_access_tokens").as_bool());

  expect_invalid(call(M::put, "/api/v1/apps/" + id, app_json("private_key_jwt")));  // no key
  auto grant = b;
  grant.replace(grant.find(R"(["client_credentials"])"), 22, R"(["implicit"])");
  expect_invalid(call(M::put, "/api/v1/apps/" + id, grant));
  EXPECT_EQ(call(M::put, "/api/v1/apps/0oaUNKNOWNUNKNOWN00", b).status, 404);

  // To private_key_jwt with a key; then a round trip of the GET body keeps the key as it is.
  auto to_pkj = call(M::put, "/api/v1/apps/" + id, app_json("private_key_jwt", json::array{rsa_key()}));
  ASSERT_EQ(to_pkj.status, 200) << to_pkj.body;
  auto keys = obj(to_pkj).at("settings").at("oauthClient").at("jwks").at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  auto key_id = str(keys[0], "id");
  EXPECT_TRUE(key_id.starts_with("pks"));
  EXPECT_EQ(str(keys[0], "status"), "ACTIVE");
  EXPECT_EQ(str(keys[0], "kid"), "rsa-1");
  auto round = call(M::put, "/api/v1/apps/" + id, call(M::get, "/api/v1/apps/" + id).body);
  ASSERT_EQ(round.status, 200) << round.body;
  EXPECT_EQ(str(obj(round).at("settings").at("oauthClient").at("jwks").at("keys").at(0), "id"), key_id);
  // Replacing the set: rsa-1 goes, rsa-2 comes.
  auto swap = call(M::put, "/api/v1/apps/" + id, app_json("private_key_jwt", json::array{rsa_key2()}));
  ASSERT_EQ(swap.status, 200);
  auto now_keys = org_->children(domain::kind::app_key, id);
  ASSERT_EQ(now_keys.size(), 1u);
  EXPECT_EQ(str(now_keys[0]->body, "kid"), "rsa-2");
  // Back to a secret method: the first secret is still ACTIVE, so none is generated.
  auto back = call(M::put, "/api/v1/apps/" + id, app_json("client_secret_basic"));
  ASSERT_EQ(back.status, 200);
  EXPECT_FALSE(obj(back).at("credentials").at("oauthClient").as_object().contains("client_secret"));
}

TEST_F(AppsApiTest, ReplaceToASecretMethodGeneratesASecretWhenNoneIsActive) {
  auto id = create_id(app_json("private_key_jwt", json::array{rsa_key()}));
  EXPECT_TRUE(org_->children(domain::kind::client_secret, id).empty());
  auto put = call(M::put, "/api/v1/apps/" + id, app_json("client_secret_basic"));
  ASSERT_EQ(put.status, 200) << put.body;
  auto secret = str(obj(put), "credentials.oauthClient.client_secret");
  EXPECT_TRUE(crypto::is_well_formed(secret, crypto::CredentialKind::client_secret));
  EXPECT_EQ(org_->children(domain::kind::client_secret, id).size(), 1u);
  EXPECT_EQ(org_->children(domain::kind::app_key, id).size(), 1u);  // keys stay when jwks is not sent
}

TEST_F(AppsApiTest, SecretsAreShownOnceRotatedInPairsAndDeletedOnlyWhenInactive) {
  auto id = create_id(app_json("client_secret_basic"));
  auto base = "/api/v1/apps/" + id + "/credentials/secrets";
  auto first = json::parse(call(M::get, base).body).as_array().at(0);
  auto first_id = str(first, "id");
  EXPECT_TRUE(first_id.starts_with("ocs"));
  EXPECT_EQ(first_id.size(), 20u);

  // createOAuth2ClientSecret without a body sends a JSON content type and nothing (§1.16).
  auto second = call(M::post, base, "", nullptr, nullptr, true);
  ASSERT_EQ(second.status, 201) << second.body;
  auto s2 = obj(second);
  auto value = str(s2, "client_secret");
  EXPECT_TRUE(crypto::is_well_formed(value, crypto::CredentialKind::client_secret));
  EXPECT_EQ(str(s2, "status"), "ACTIVE");
  EXPECT_FALSE(s2.contains("_gh"));
  EXPECT_TRUE(str(s2, "_links.self.href").starts_with("http://gh.test/api/v1/apps/" + id));
  auto s2_id = str(s2, "id");
  auto got = call(M::get, base + "/" + s2_id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(str(obj(got), "client_secret"), value.substr(0, 11) + "\u2026");
  EXPECT_EQ(str(obj(got), "secret_hash"), str(s2, "secret_hash"));

  expect_invalid(call(M::post, base, "{}"));  // a third ACTIVE
  expect_invalid(call(M::post, base, R"({"client_secret":"mine-mine-mine-mine"})"));
  expect_invalid(call(M::post, base, R"({"status":"SOMETIMES"})"));
  expect_invalid(call(M::delete_, base + "/" + first_id));  // §11.15: ACTIVE

  auto off = call(M::post, base + "/" + first_id + "/lifecycle/deactivate");
  ASSERT_EQ(off.status, 200);
  EXPECT_EQ(str(obj(off), "status"), "INACTIVE");
  EXPECT_NE(str(obj(off), "client_secret").find("\u2026"), std::string::npos);
  auto third = call(M::post, base, "{}");
  ASSERT_EQ(third.status, 201);
  expect_invalid(call(M::post, base + "/" + first_id + "/lifecycle/activate"));  // two ACTIVE again
  EXPECT_EQ(call(M::delete_, base + "/" + first_id).status, 204);
  EXPECT_EQ(call(M::get, base + "/" + first_id).status, 404);
  EXPECT_EQ(json::parse(call(M::get, base).body).as_array().size(), 2u);
  auto inactive = call(M::post, base, R"({"status":"INACTIVE"})");
  ASSERT_EQ(inactive.status, 201);
  EXPECT_EQ(str(obj(inactive), "status"), "INACTIVE");
  // Another app's secret id is unknown under this app.
  auto other = create_id(app_json("client_secret_basic"));
  EXPECT_EQ(call(M::get, "/api/v1/apps/" + other + "/credentials/secrets/" + s2_id).status, 404);
}

TEST_F(AppsApiTest, RegisteredKeysMustBePublicStrongAndUniquelyNamed) {
  auto ed = public_jwk(std::move(*jose::generate_ed25519()), "ed");
  struct Case {
    std::string name;
    json::array keys;
  };
  const Case cases[] = {
      {"private member d", {with(rsa_key(), "d", "AQAB")}},
      {"private member p", {with(rsa_key(), "p", "AQAB")}},
      {"1024-bit RSA", {rsa_1024()}},
      {"duplicate kid", {rsa_key(), with(rsa_key2(), "kid", "rsa-1")}},
      {"symmetric oct", {json::object{{"kty", "oct"}, {"kid", "s"}, {"k", "c2VjcmV0c2VjcmV0"}}}},
      {"oct without k", {json::object{{"kty", "oct"}, {"kid", "s"}}}},
      {"bad curve", {with(ec_key(jose::Curve::p256, "ec"), "crv", "P-192")}},
      {"secp256k1", {with(ec_key(jose::Curve::p256, "ec"), "crv", "secp256k1")}},
      {"Ed25519", {ed}},
      {"no kid", {[] { auto k = rsa_key(); k.erase("kid"); return k; }()}},
      {"encryption key", {with(rsa_key(), "use", "enc")}},
      {"HMAC alg", {with(rsa_key(), "alg", "HS256")}},
      {"alg of another family", {with(rsa_key(), "alg", "ES256")}},
      {"not an object", {json::value("key")}},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    expect_invalid(call(M::post, "/api/v1/apps", app_json("private_key_jwt", c.keys)));
    if (c.keys.size() == 1) {
      auto id = create_id(app_json("client_secret_basic"));
      expect_invalid(call(M::post, "/api/v1/apps/" + id + "/credentials/jwks", json::serialize(c.keys[0])));
    }
  }
  auto ok = create(app_json("private_key_jwt", json::array{rsa_key(), ec_key(jose::Curve::p256, "p256"),
                                                           ec_key(jose::Curve::p384, "p384"),
                                                           ec_key(jose::Curve::p521, "p521")}));
  auto keys = ok.at("settings").at("oauthClient").at("jwks").at("keys").as_array();
  EXPECT_EQ(keys.size(), 4u);
  for (auto& k : keys) {
    EXPECT_FALSE(k.as_object().contains("d"));
    EXPECT_EQ(str(k, "status"), "ACTIVE");
  }
  // addJwk with a kid already registered for the app.
  auto id = str(ok, "id");
  expect_invalid(call(M::post, "/api/v1/apps/" + id + "/credentials/jwks", json::serialize(with(rsa_key2(), "kid", "p256"))));
}

TEST_F(AppsApiTest, JwksResourceListsAddsAndRetiresKeys) {
  auto id = create_id(app_json("private_key_jwt", json::array{rsa_key()}));
  auto base = "/api/v1/apps/" + id + "/credentials/jwks";
  auto list = call(M::get, base);
  ASSERT_EQ(list.status, 200);
  EXPECT_FALSE(has_header(list, "Link"));
  auto set = obj(list);
  ASSERT_EQ(set.at("keys").as_array().size(), 1u);
  auto inline_id = str(set.at("keys").at(0), "id");
  EXPECT_EQ(str(set.at("keys").at(0), "kid"), "rsa-1");

  // The last ACTIVE key of a private_key_jwt app cannot be deactivated.
  expect_invalid(call(M::post, base + "/" + inline_id + "/lifecycle/deactivate"));
  auto added = call(M::post, base, json::serialize(ec_key(jose::Curve::p256, "ec-1")));
  ASSERT_EQ(added.status, 201) << added.body;
  auto ec = obj(added);
  EXPECT_TRUE(str(ec, "id").starts_with("pks"));
  EXPECT_EQ(str(ec, "status"), "ACTIVE");
  EXPECT_EQ(str(ec, "crv"), "P-256");
  EXPECT_EQ(call(M::get, base + "/" + str(ec, "id")).status, 200);
  EXPECT_EQ(obj(call(M::get, "/api/v1/apps/" + id)).at("settings").at("oauthClient").at("jwks").at("keys").as_array().size(), 2u);

  expect_invalid(call(M::delete_, base + "/" + inline_id));  // ACTIVE
  auto off = call(M::post, base + "/" + inline_id + "/lifecycle/deactivate");
  ASSERT_EQ(off.status, 200);
  EXPECT_EQ(str(obj(off), "status"), "INACTIVE");
  EXPECT_EQ(call(M::post, base + "/" + inline_id + "/lifecycle/activate").status, 200);
  ASSERT_EQ(call(M::post, base + "/" + inline_id + "/lifecycle/deactivate").status, 200);
  EXPECT_EQ(call(M::delete_, base + "/" + inline_id).status, 204);
  EXPECT_EQ(call(M::get, base + "/" + inline_id).status, 404);
  EXPECT_EQ(obj(call(M::get, base)).at("keys").as_array().size(), 1u);
  auto inactive = call(M::post, base, json::serialize(with(rsa_key2(), "status", "INACTIVE")));
  ASSERT_EQ(inactive.status, 201);
  EXPECT_EQ(str(obj(inactive), "status"), "INACTIVE");
}

TEST(AppsJwksUri, RefusesPlainHttpLocalAndPrivateHosts) {
  struct Case {
    std::string uri;
    bool ok;
  };
  const Case cases[] = {
      {"https://keys.example.com/.well-known/jwks.json", true},
      {"https://keys.example.com:8443/jwks?x=1", true},
      {"https://8.8.8.8/jwks", true},
      {"https://[2001:4860:4860::8888]/jwks", true},
      {"http://keys.example.com/jwks", false},
      {"ftp://keys.example.com/jwks", false},
      {"keys.example.com/jwks", false},
      {"https://localhost/jwks", false},
      {"https://LOCALHOST./jwks", false},
      {"https://api.localhost/jwks", false},
      {"https://127.0.0.1/jwks", false},
      {"https://127.1/jwks", false},
      {"https://[::1]/jwks", false},
      {"https://[::ffff:127.0.0.1]/jwks", false},
      {"https://[::ffff:7f00:1]/jwks", false},
      {"https://[::]/jwks", false},
      {"https://2130706433/jwks", false},
      {"https://0x7f.1/jwks", false},
      {"https://0x7f000001/jwks", false},
      {"https://0177.0.0.1/jwks", false},
      {"https://0/jwks", false},
      {"https://0.0.0.0/jwks", false},
      {"https://10.1.2.3/jwks", false},
      {"https://172.16.0.1/jwks", false},
      {"https://172.31.255.255/jwks", false},
      {"https://192.168.1.1/jwks", false},
      {"https://169.254.169.254/latest/meta-data", false},
      {"https://100.100.100.200/", false},
      {"https://metadata.google.internal/computeMetadata/v1", false},
      {"https://[fc00::1]/jwks", false},
      {"https://[fd00:ec2::254]/jwks", false},
      {"https://[fe80::1]/jwks", false},
      {"https://[fe80::1%25eth0]/jwks", false},
      {"https://[64:ff9b::7f00:1]/jwks", false},
      {"https://[2002:7f00:1::]/jwks", false},
      {"https://user@keys.example.com/jwks", false},
      {"https://keys.example.com@127.0.0.1/jwks", false},
      {"https://keys.example.com\\@127.0.0.1/jwks", false},
      {"https://%31%32%37.0.0.1/jwks", false},
      {"https://1.2.3.4.5/jwks", false},
      {"https://256.0.0.1/jwks", false},
      {"https:///jwks", false},
      {"https://keys.example.com:0/jwks", false},
      {"https://keys.example.com:99999/jwks", false},
      {"https://keys.example.com/jwks#frag", false},
      {"https://keys.example.com/a b", false},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.uri);
    auto why = apps::check_jwks_uri(c.uri, {});
    EXPECT_EQ(!why.has_value(), c.ok) << why.value_or("");
  }
  // 172.15.x and 172.32.x are public.
  EXPECT_FALSE(apps::check_jwks_uri("https://172.15.0.1/", {}).has_value());
  EXPECT_FALSE(apps::check_jwks_uri("https://172.32.0.1/", {}).has_value());
}

// §11.23 "not https (unless allowed in config)": http only for the listed hosts, whose address
// checks still apply.
TEST(AppsJwksUri, HttpOnlyForHostsTheOperatorListed) {
  const std::vector<std::string> allowed{"keys.internal.example", "KEYS2.example"};
  EXPECT_FALSE(apps::check_jwks_uri("http://keys.internal.example/jwks", allowed).has_value());
  EXPECT_FALSE(apps::check_jwks_uri("http://Keys.Internal.Example:8080/jwks", allowed).has_value());
  EXPECT_FALSE(apps::check_jwks_uri("HTTP://keys2.example/jwks", allowed).has_value());
  EXPECT_TRUE(apps::check_jwks_uri("http://other.example/jwks", allowed).has_value());
  EXPECT_TRUE(apps::check_jwks_uri("http://keys.internal.example.evil.test/jwks", allowed).has_value());
  EXPECT_TRUE(apps::check_jwks_uri("http://keys.internal.example/jwks", {}).has_value());
  EXPECT_TRUE(apps::check_jwks_uri("http://127.0.0.1/jwks", {"127.0.0.1"}).has_value());
  EXPECT_TRUE(apps::check_jwks_uri("http://localhost/jwks", {"localhost"}).has_value());
  EXPECT_TRUE(apps::check_jwks_uri("ftp://keys.internal.example/jwks", allowed).has_value());
}

TEST_F(AppsApiTest, JwksUriIsCheckedAtRegistration) {
  for (auto uri : {"http://keys.example.com/jwks", "https://127.0.0.1/jwks", "https://[::ffff:127.0.0.1]/jwks",
                   "https://2130706433/jwks", "https://0x7f.1/jwks", "https://169.254.169.254/"}) {
    SCOPED_TRACE(uri);
    expect_invalid(call(M::post, "/api/v1/apps",
                        app_json("private_key_jwt", {}, std::string(R"("jwks_uri":")") + uri + "\"")));
  }
  auto app = create(app_json("private_key_jwt", {}, R"("jwks_uri":"https://keys.example.com/jwks")"));
  EXPECT_EQ(str(app, "settings.oauthClient.jwks_uri"), "https://keys.example.com/jwks");
  EXPECT_FALSE(app.at("credentials").at("oauthClient").as_object().contains("client_secret"));
  // Keys cannot be added beside a jwks_uri.
  expect_invalid(call(M::post, "/api/v1/apps/" + str(app, "id") + "/credentials/jwks", json::serialize(rsa_key())));
}

TEST_F(AppsApiTest, GrantsAreOktaScopesForThisOrgsIssuer) {
  auto id = create_id(app_json("private_key_jwt", json::array{rsa_key()}));
  auto base = "/api/v1/apps/" + id + "/grants";
  struct Case {
    std::string name, body;
    int status;
  };
  const Case cases[] = {
      {"org url", R"({"issuer":"http://gh.test","scopeId":"okta.groups.read"})", 201},
      {"trailing slash", R"({"issuer":"http://gh.test/","scopeId":"okta.users.manage"})", 201},
      {"every resource", R"({"issuer":"http://gh.test","scopeId":"okta.authorizationServers.read"})", 201},
      {"another issuer", R"({"issuer":"http://evil.test","scopeId":"okta.groups.read"})", 400},
      {"custom AS issuer", R"({"issuer":"http://gh.test/oauth2/default","scopeId":"okta.groups.read"})", 400},
      {"two slashes", R"({"issuer":"http://gh.test//","scopeId":"okta.groups.read"})", 400},
      {"unknown scope", R"({"issuer":"http://gh.test","scopeId":"okta.groups.write"})", 400},
      {"openid", R"({"issuer":"http://gh.test","scopeId":"openid"})", 400},
      {"wrong case", R"({"issuer":"http://gh.test","scopeId":"okta.Groups.read"})", 400},
      {"scope missing", R"({"issuer":"http://gh.test"})", 400},
      {"scope not a string", R"({"issuer":"http://gh.test","scopeId":["okta.groups.read"]})", 400},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = call(M::post, base, c.body);
    EXPECT_EQ(r.status, c.status) << r.body;
    if (c.status == 400) expect_invalid(r);
  }
  auto again = call(M::post, base, R"({"issuer":"http://gh.test","scopeId":"okta.groups.read"})");
  ASSERT_EQ(again.status, 201);
  auto grants = json::parse(call(M::get, base).body).as_array();
  ASSERT_EQ(grants.size(), 3u);  // the repeat answered the existing grant
  auto g = obj(again);
  auto gid = str(g, "id");
  EXPECT_TRUE(gid.starts_with("oag"));
  EXPECT_EQ(str(g, "issuer"), "http://gh.test");
  EXPECT_EQ(str(g, "clientId"), id);
  EXPECT_EQ(str(g, "status"), "ACTIVE");
  EXPECT_EQ(str(g, "source"), "ADMIN");
  EXPECT_EQ(str(g, "createdBy.type"), "User");
  EXPECT_EQ(str(g, "_embedded.scope.id"), "okta.groups.read");
  EXPECT_EQ(str(g, "_links.app.href"), "http://gh.test/api/v1/apps/" + id);
  EXPECT_EQ(call(M::get, base + "/" + gid).status, 200);
  EXPECT_EQ(call(M::delete_, base + "/" + gid).status, 204);
  EXPECT_EQ(call(M::get, base + "/" + gid).status, 404);
  EXPECT_EQ(call(M::delete_, base + "/" + gid).status, 404);
  EXPECT_EQ(call(M::get, "/api/v1/apps/0oaNOPENOPENOPENOPE/grants").status, 404);
}

TEST_F(AppsApiTest, ClientRolesAnswer200AndAllowAnyAdminRole) {
  auto id = create_id(app_json("private_key_jwt", json::array{rsa_key()}));
  auto base = "/oauth2/v1/clients/" + id + "/roles";
  auto super = call(M::post, base, R"({"type":"SUPER_ADMIN"})");
  ASSERT_EQ(super.status, 200) << super.body;  // okta-compat.md §5: 200, not 201
  auto ra = obj(super);
  EXPECT_EQ(str(ra, "type"), "SUPER_ADMIN");
  EXPECT_EQ(str(ra, "assignmentType"), "CLIENT");
  EXPECT_EQ(str(ra, "_links.assignee.href"), "http://gh.test/oauth2/v1/clients/" + id);
  struct Case {
    std::string name, body;
    int status;
  };
  const Case cases[] = {
      {"read only", R"({"type":"READ_ONLY_ADMIN"})", 200},
      {"duplicate", R"({"type":"SUPER_ADMIN"})", 400},
      {"unknown type", R"({"type":"KING"})", 400},
      {"type missing", "{}", 400},
      {"type not a string", R"({"type":1})", 400},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = call(M::post, base, c.body);
    EXPECT_EQ(r.status, c.status) << r.body;
    if (c.status == 400) expect_invalid(r);
  }
  auto list = call(M::get, base);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(json::parse(list.body).as_array().size(), 2u);
  auto rid = str(ra, "id");
  EXPECT_EQ(call(M::get, base + "/" + rid).status, 200);
  EXPECT_EQ(org_->roles_of(domain::PrincipalType::CLIENT, id).size(), 2u);
  EXPECT_EQ(call(M::delete_, base + "/" + rid).status, 204);
  EXPECT_EQ(call(M::get, base + "/" + rid).status, 404);
  auto unknown = call(M::get, "/oauth2/v1/clients/0oaNOPENOPENOPENOPE/roles");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("E0000007"), std::string::npos);
  EXPECT_EQ(call(M::post, "/oauth2/v1/clients/0oaNOPENOPENOPENOPE/roles", R"({"type":"ORG_ADMIN"})").status, 404);
  // A user's role id is not this client's.
  for (auto& [rid2, r] : org_->roles()) {
    if (r.principal_type == domain::PrincipalType::USER) {
      EXPECT_EQ(call(M::get, base + "/" + rid2).status, 404);
    }
  }
}

TEST_F(AppsApiTest, AnotherOrgsAppIdIsNotFound) {
  std::string token2;
  auto* org2 = add_org("second", token2);
  auto res = call(M::post, "/api/v1/apps", app_json("client_secret_basic"), org2, &token2);
  ASSERT_EQ(res.status, 200) << res.body;
  auto app = obj(res);
  auto id = str(app, "id");
  EXPECT_EQ(str(app, "_links.self.href"), "http://gh.test/o/second/api/v1/apps/" + id);
  auto secret_id = str(json::parse(call(M::get, "/api/v1/apps/" + id + "/credentials/secrets", "", org2, &token2).body)
                           .as_array()
                           .at(0),
                       "id");
  ASSERT_EQ(call(M::post, "/oauth2/v1/clients/" + id + "/roles", R"({"type":"ORG_ADMIN"})", org2, &token2).status, 200);
  struct Case {
    M method;
    std::string path, body;
  };
  const Case cases[] = {
      {M::get, "/api/v1/apps/" + id, ""},
      {M::put, "/api/v1/apps/" + id, app_json("client_secret_basic")},
      {M::delete_, "/api/v1/apps/" + id, ""},
      {M::post, "/api/v1/apps/" + id + "/lifecycle/deactivate", ""},
      {M::get, "/api/v1/apps/" + id + "/credentials/secrets", ""},
      {M::post, "/api/v1/apps/" + id + "/credentials/secrets", "{}"},
      {M::get, "/api/v1/apps/" + id + "/credentials/secrets/" + secret_id, ""},
      {M::post, "/api/v1/apps/" + id + "/credentials/secrets/" + secret_id + "/lifecycle/deactivate", ""},
      {M::get, "/api/v1/apps/" + id + "/credentials/jwks", ""},
      {M::post, "/api/v1/apps/" + id + "/credentials/jwks", json::serialize(rsa_key())},
      {M::get, "/api/v1/apps/" + id + "/grants", ""},
      {M::post, "/api/v1/apps/" + id + "/grants", R"({"issuer":"http://gh.test","scopeId":"okta.groups.read"})"},
      {M::get, "/oauth2/v1/clients/" + id + "/roles", ""},
      {M::post, "/oauth2/v1/clients/" + id + "/roles", R"({"type":"SUPER_ADMIN"})"},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.path);
    auto r = call(c.method, c.path, c.body);
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_NE(r.body.find("E0000007"), std::string::npos);
  }
  EXPECT_TRUE(json::parse(call(M::get, "/api/v1/apps").body).as_array().empty());
  // The second org's token is worthless in the first org, and its app is untouched.
  EXPECT_EQ(call(M::get, "/api/v1/apps/" + id, "", org_, &token2).status, 401);
  EXPECT_EQ(str(obj(call(M::get, "/api/v1/apps/" + id, "", org2, &token2)), "status"), "ACTIVE");
  EXPECT_EQ(org2->roles_of(domain::PrincipalType::CLIENT, id).size(), 1u);
}

TEST_F(AppsApiTest, ReadOnlyAdminsMayReadButNotWrite) {
  auto id = create_id(app_json("client_secret_basic"));
  auto user = call(M::post, "/api/v1/users?activate=true",
                   R"({"profile":{"login":"r@x.io","email":"r@x.io","firstName":"R","lastName":"O"},"credentials":{"password":{"value":"Passw0rd!x"}}})");
  ASSERT_EQ(user.status, 200) << user.body;
  auto uid = str(obj(user), "id");
  ASSERT_EQ(call(M::post, "/api/v1/users/" + uid + "/roles", R"({"type":"READ_ONLY_ADMIN"})").status, 201);
  auto tok = call(M::post, "/api/v1/api-tokens", R"({"name":"ro","userId":")" + uid + "\"}");
  ASSERT_EQ(tok.status, 201) << tok.body;
  auto ro = str(obj(tok), "token");
  EXPECT_EQ(call(M::get, "/api/v1/apps/" + id, "", nullptr, &ro).status, 200);
  EXPECT_EQ(call(M::get, "/api/v1/apps/" + id + "/grants", "", nullptr, &ro).status, 200);
  EXPECT_EQ(call(M::get, "/oauth2/v1/clients/" + id + "/roles", "", nullptr, &ro).status, 200);
  EXPECT_EQ(call(M::post, "/api/v1/apps", app_json("client_secret_basic"), nullptr, &ro).status, 403);
  EXPECT_EQ(call(M::post, "/api/v1/apps/" + id + "/credentials/secrets", "{}", nullptr, &ro).status, 403);
  EXPECT_EQ(call(M::post, "/oauth2/v1/clients/" + id + "/roles", R"({"type":"SUPER_ADMIN"})", nullptr, &ro).status, 403);
  EXPECT_EQ(call(M::post, "/api/v1/apps/" + id + "/grants",
                 R"({"issuer":"http://gh.test","scopeId":"okta.groups.read"})", nullptr, &ro).status, 403);
}

}  // namespace
}  // namespace gh::api
