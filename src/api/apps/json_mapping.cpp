#include "api/apps/json_mapping.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <set>

#include "api/common/json_body.hpp"
#include "model/org_model.hpp"

namespace gh::api::apps {
namespace json = boost::json;
constexpr std::size_t kMaxLabelLength = 255;

bool is_integration_instance(const domain::Document& app) {
  auto* gh = app.body.if_contains("_gh");
  return gh && gh->is_object() && gh->get_object().contains("integration");
}

const domain::Document* find_app(const Ctx& ctx, std::string_view id) {
  auto* d = ctx.org.doc(domain::kind::app, id);
  return d && !is_integration_instance(*d) ? d : nullptr;
}

ApiError app_not_found(std::string_view id) { return not_found(std::string(id) + " (Application)"); }

std::string app_url(const Ctx& ctx, std::string_view app_id) {
  return ctx.org.url() + "/api/v1/apps/" + std::string(app_id);
}

namespace {
const json::object* oauth_client(const json::object& body, std::string_view section) {
  auto* s = body.if_contains(section);
  if (!s || !s->is_object()) return nullptr;
  auto* oc = s->get_object().if_contains("oauthClient");
  return oc && oc->is_object() ? &oc->get_object() : nullptr;
}
}  // namespace

std::string_view jwks_uri_of(const json::object& app_body) {
  auto* oc = oauth_client(app_body, "settings");
  return oc ? str_member(*oc, "jwks_uri") : std::string_view();
}

std::string_view auth_method_of(const json::object& app_body) {
  auto* oc = oauth_client(app_body, "credentials");
  return oc ? str_member(*oc, "token_endpoint_auth_method") : std::string_view();
}

bool keeps_key_source(const Ctx& ctx, const domain::Document& app, std::string_view except_key_id) {
  if (auth_method_of(app.body) != kPrivateKeyJwt || !jwks_uri_of(app.body).empty()) return true;
  for (auto* k : ctx.org.children(domain::kind::app_key, app.id))
    if (k->id != except_key_id && str_member(k->body, "status") == kActive) return true;
  return false;
}

json::object public_body(const json::object& body) {
  json::object o = body;
  o.erase("_gh");
  return o;
}

domain::Document with_status(const domain::Document& d, std::string_view status, std::string_view now) {
  auto copy = d;
  copy.body["status"] = status;
  copy.body["lastUpdated"] = now;
  return copy;
}

namespace {
// An array member that must equal `want` exactly (grant_types) or contain only `allowed`.
void read_string_array(const json::object& o, std::string_view key, std::string_view path, bool required,
                       std::string_view only, bool exactly_one, std::vector<std::string>& causes) {
  auto* v = o.if_contains(key);
  std::string p(path);
  if (!v || v->is_null()) {
    if (required) causes.push_back(p + ": The field cannot be left blank");
    return;
  }
  if (!v->is_array()) {
    causes.push_back(p + ": The field must be an array of strings");
    return;
  }
  auto& a = v->get_array();
  bool ok = !a.empty() && (!exactly_one || a.size() == 1);
  for (auto& e : a) ok = ok && e.is_string() && e.get_string() == only;
  if (!ok) causes.push_back(p + ": Only [\"" + std::string(only) + "\"] is supported for service apps");
}

void read_keys(const json::object& oc, AppInput& in, std::vector<std::string>& causes) {
  auto* jwks = oc.if_contains("jwks");
  if (!jwks || jwks->is_null()) return;
  if (!jwks->is_object()) {
    causes.push_back("settings.oauthClient.jwks: The field must be an object");
    return;
  }
  auto* keys = jwks->get_object().if_contains("keys");
  if (!keys || !keys->is_array()) {
    causes.push_back("settings.oauthClient.jwks.keys: The field must be an array of keys");
    return;
  }
  if (keys->get_array().size() > kMaxKeys) {
    causes.push_back("settings.oauthClient.jwks.keys: An app has at most 50 keys");
    return;
  }
  in.keys.emplace();
  std::set<std::string, std::less<>> kids;
  std::size_t i = 0;
  for (auto& k : keys->get_array()) {
    auto path = "settings.oauthClient.jwks.keys[" + std::to_string(i++) + "]";
    auto key = validate_client_key(k, path);
    if (auto* cause = std::get_if<std::string>(&key)) {
      causes.push_back(*cause);
      continue;
    }
    auto& ck = std::get<ClientKey>(key);
    if (!kids.insert(ck.kid).second) causes.push_back(path + ".kid: The kid must be unique within the app");
    in.keys->push_back(std::move(ck));
  }
}

void read_settings(const json::object& oc, const std::vector<std::string>& allow_http_hosts, AppInput& in,
                   std::vector<std::string>& causes) {
  FieldReader r(oc);
  auto type = r.string("application_type", true, "settings.oauthClient.application_type");
  if (type && *type != "service")
    r.causes().push_back("settings.oauthClient.application_type: Only service apps are supported");
  auto uri = r.string("jwks_uri", false, "settings.oauthClient.jwks_uri");
  if (uri && !uri->empty()) {
    if (auto why = check_jwks_uri(*uri, allow_http_hosts)) r.causes().push_back("settings.oauthClient.jwks_uri: " + *why);
    in.jwks_uri = *uri;
  }
  in.dpop_bound_access_tokens = r.boolean("dpop_bound_access_tokens", "settings.oauthClient.dpop_bound_access_tokens")
                                    .value_or(false);
  for (auto& c : r.causes()) causes.push_back(c);
  read_string_array(oc, "grant_types", "settings.oauthClient.grant_types", true, "client_credentials", true, causes);
  read_string_array(oc, "response_types", "settings.oauthClient.response_types", false, "token", false, causes);
  read_keys(oc, in, causes);
  if (in.keys && !in.keys->empty() && !in.jwks_uri.empty())
    causes.push_back("settings.oauthClient: jwks and jwks_uri cannot both be set");
}

void read_credentials(const json::object& body, AppInput& in, std::vector<std::string>& causes) {
  FieldReader r(body);
  auto* creds = r.object("credentials", false, "credentials");
  const json::object* oc = nullptr;
  if (creds) {
    FieldReader cr(*creds);
    oc = cr.object("oauthClient", false, "credentials.oauthClient");
    for (auto& c : cr.causes()) r.causes().push_back(c);
  }
  if (oc) {
    FieldReader ocr(*oc);
    auto method = ocr.string("token_endpoint_auth_method", false, "credentials.oauthClient.token_endpoint_auth_method");
    if (method && *method != kClientSecretBasic && *method != kClientSecretPost && *method != kPrivateKeyJwt)
      ocr.causes().push_back("credentials.oauthClient.token_endpoint_auth_method: Must be client_secret_basic, "
                             "client_secret_post or private_key_jwt");
    else if (method)
      in.method = *method;
    in.auto_key_rotation = ocr.boolean("autoKeyRotation", "credentials.oauthClient.autoKeyRotation").value_or(true);
    for (auto& c : ocr.causes()) r.causes().push_back(c);
  }
  for (auto& c : r.causes()) causes.push_back(c);
}
}  // namespace

Result<AppInput> parse_app(const json::object& body,
                                          const std::vector<std::string>& allow_http_hosts) {
  AppInput in;
  std::vector<std::string> causes;
  FieldReader r(body);
  auto label = r.string("label", true, "label");
  if (label && label->size() > kMaxLabelLength) r.causes().push_back("label: The label is longer than 255 characters");
  auto name = r.string("name", false, "name");
  if (name && *name != "oidc_client") r.causes().push_back("name: Only oidc_client apps are supported");
  auto mode = r.string("signOnMode", true, "signOnMode");
  if (mode && *mode != "OPENID_CONNECT") r.causes().push_back("signOnMode: Only OPENID_CONNECT apps are supported");
  auto* settings = r.object("settings", true, "settings");
  const json::object* oc = nullptr;
  if (settings) {
    FieldReader sr(*settings);
    oc = sr.object("oauthClient", true, "settings.oauthClient");
    for (auto& c : sr.causes()) r.causes().push_back(c);
  }
  causes = std::move(r.causes());
  if (label) in.label = *label;
  read_credentials(body, in, causes);
  if (oc) read_settings(*oc, allow_http_hosts, in, causes);
  if (!causes.empty()) return validation_failed("app", std::move(causes));
  return in;
}

json::object app_body(std::string_view id, const AppInput& in, std::string_view status, std::string_view created,
                      std::string_view last_updated) {
  json::object settings{{"application_type", "service"},
                        {"grant_types", json::array{"client_credentials"}},
                        {"response_types", json::array{"token"}},
                        {"dpop_bound_access_tokens", in.dpop_bound_access_tokens}};
  if (!in.jwks_uri.empty()) settings["jwks_uri"] = in.jwks_uri;
  return json::object{
      {"id", id},
      {"name", "oidc_client"},
      {"label", in.label},
      {"status", status},
      {"created", created},
      {"lastUpdated", last_updated},
      {"signOnMode", "OPENID_CONNECT"},
      {"credentials", json::object{{"oauthClient", json::object{{"client_id", id},
                                                                {"token_endpoint_auth_method", in.method},
                                                                {"autoKeyRotation", in.auto_key_rotation}}}}},
      {"settings", json::object{{"oauthClient", std::move(settings)}}}};
}

std::string render_app(const Ctx& ctx, const domain::Document& app, const core::SecretString* secret) {
  auto o = public_body(app.body);
  auto keys = ctx.org.children(domain::kind::app_key, app.id);
  if (!keys.empty()) {
    json::array rendered;
    for (auto* k : keys) rendered.push_back(render_key_body(*k));
    o["settings"].as_object()["oauthClient"].as_object()["jwks"] = json::object{{"keys", std::move(rendered)}};
  }
  if (secret) o["credentials"].as_object()["oauthClient"].as_object()["client_secret"] = secret->reveal();
  auto self = app_url(ctx, app.id);
  bool active = str_member(app.body, "status") == kActive;
  json::object links{{"appLinks", json::array{}},
                     {"logo", json::array{}},
                     {"self", json::object{{"href", self}}}};
  links[active ? "deactivate" : "activate"] =
      json::object{{"href", self + (active ? "/lifecycle/deactivate" : "/lifecycle/activate")}};
  o["_links"] = std::move(links);
  return json::serialize(o);
}

}  // namespace gh::api::apps
