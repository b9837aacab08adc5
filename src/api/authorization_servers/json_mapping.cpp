#include "api/authorization_servers/json_mapping.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "keys/signing_keys.hpp"

namespace gh::api::auth_servers {
namespace json = boost::json;

namespace {
json::object link(std::string href, std::initializer_list<std::string_view> allow) {
  json::array a;
  for (auto m : allow) a.emplace_back(m);
  return {{"href", std::move(href)}, {"hints", json::object{{"allow", std::move(a)}}}};
}

// The lifecycle link Okta shows: `deactivate` for an ACTIVE resource, `activate` otherwise.
void lifecycle_link(json::object& links, const std::string& self, std::string_view status) {
  if (status == "ACTIVE") links["deactivate"] = link(self + "/lifecycle/deactivate", {"POST"});
  else links["activate"] = link(self + "/lifecycle/activate", {"POST"});
}
}  // namespace

std::string server_path(std::string_view as_id) {
  return std::string(kCollectionPath) + "/" + std::string(as_id);
}

json::object public_body(const domain::Document& d) {
  json::object o;
  o["id"] = d.id;
  for (auto& [k, v] : d.body)
    if (k != "_gh" && k != "id") o[k] = v;
  return o;
}

jose::Alg server_alg(const domain::Document& as) {
  auto* gh = as.body.if_contains("_gh");
  if (!gh || !gh->is_object()) return jose::Alg::RS256;
  auto alg = jose::parse_alg(str_member(gh->get_object(), "alg"));
  return alg ? *alg : jose::Alg::RS256;
}

std::string render_server(const model::OrgModel& org, const domain::Document& d) {
  auto o = public_body(d);
  const std::string self = org.url() + server_path(d.id);
  const std::string issuer = org.url() + "/oauth2/" + d.id;
  o["issuer"] = issuer;
  o["issuerMode"] = "ORG_URL";
  auto active = keys::signing_keys(org, d.id, "ACTIVE");
  auto& signing = o["credentials"].emplace_object()["signing"];
  json::object s;
  if (auto* cred = d.body.if_contains("credentials"); cred && cred->is_object())
    if (auto* sg = cred->get_object().if_contains("signing"); sg && sg->is_object()) s = sg->get_object();
  if (!active.empty()) s["kid"] = active.front()->id;
  signing = std::move(s);
  // Gatehouse extension: the signing algorithm chosen at creation (docs/oauth-documents.md).
  o["signing"] = json::object{{"alg", jose::alg_name(server_alg(d))}};
  json::object links{
      {"self", link(self, {"GET", "PUT", "DELETE"})},
      {"scopes", link(self + "/scopes", {"GET", "POST"})},
      {"claims", link(self + "/claims", {"GET", "POST"})},
      {"policies", link(self + "/policies", {"GET", "POST"})},
      {"keys", link(self + "/credentials/keys", {"GET"})},
      {"rotateKey", link(self + "/credentials/lifecycle/keyRotate", {"POST"})},
      {"metadata", json::array{link(issuer + "/.well-known/openid-configuration", {"GET"}),
                               link(issuer + "/.well-known/oauth-authorization-server", {"GET"})}}};
  lifecycle_link(links, self, str_member(d.body, "status"));
  o["_links"] = std::move(links);
  return json::serialize(o);
}

std::string render_scope(std::string_view org_url, std::string_view as_id, const domain::Document& d) {
  auto o = public_body(d);
  o["_links"] = json::object{
      {"self", link(std::string(org_url) + server_path(as_id) + "/scopes/" + d.id, {"GET", "PUT", "DELETE"})}};
  return json::serialize(o);
}

std::string render_claim(std::string_view org_url, std::string_view as_id, const domain::Document& d) {
  auto o = public_body(d);
  o["_links"] = json::object{
      {"self", link(std::string(org_url) + server_path(as_id) + "/claims/" + d.id, {"GET", "PUT", "DELETE"})}};
  return json::serialize(o);
}

std::string render_policy(std::string_view org_url, std::string_view as_id, const domain::Document& d) {
  auto o = public_body(d);
  const std::string self = std::string(org_url) + server_path(as_id) + "/policies/" + d.id;
  json::object links{{"self", link(self, {"GET", "PUT", "DELETE"})}, {"rules", link(self + "/rules", {"GET", "POST"})}};
  lifecycle_link(links, self, str_member(d.body, "status"));
  o["_links"] = std::move(links);
  return json::serialize(o);
}

std::string render_rule(std::string_view org_url, std::string_view as_id, const domain::Document& d) {
  auto o = public_body(d);
  const std::string policy = std::string(org_url) + server_path(as_id) + "/policies/" + d.parent;
  const std::string self = policy + "/rules/" + d.id;
  json::object links{{"self", link(self, {"GET", "PUT", "DELETE"})}, {"policy", link(policy, {"GET"})}};
  lifecycle_link(links, self, str_member(d.body, "status"));
  o["_links"] = std::move(links);
  return json::serialize(o);
}

json::object render_key(std::string_view org_url, const domain::Document& key) {
  json::object o;
  if (auto* j = key.body.if_contains("jwk"); j && j->is_object()) o = j->get_object();
  o["status"] = str_member(key.body, "status");
  o["_links"] = json::object{
      {"self", link(std::string(org_url) + server_path(key.parent) + "/credentials/keys/" + key.id, {"GET"})}};
  return o;
}

std::optional<std::vector<std::string>> string_list(const json::object& o, std::string_view key,
                                                    bool required, std::string_view path,
                                                    std::vector<std::string>& causes) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) causes.push_back(std::string(path) + ": The field cannot be left blank");
    return std::nullopt;
  }
  if (!v->is_array()) {
    causes.push_back(std::string(path) + ": The field must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (auto& e : v->get_array()) {
    if (!e.is_string() || e.get_string().empty()) {
      causes.push_back(std::string(path) + ": The field must be an array of non-empty strings");
      return std::nullopt;
    }
    out.emplace_back(e.get_string());
  }
  if (required && out.empty()) {
    causes.push_back(std::string(path) + ": The field cannot be left blank");
    return std::nullopt;
  }
  return out;
}

std::optional<std::int64_t> integer(const json::object& o, std::string_view key, std::int64_t lo,
                                    std::int64_t hi, std::string_view path,
                                    std::vector<std::string>& causes) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  std::optional<std::int64_t> n;
  if (v->is_int64()) n = v->get_int64();
  else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(hi)) n = static_cast<std::int64_t>(v->get_uint64());
  else if (v->is_double() && v->get_double() == static_cast<double>(static_cast<std::int64_t>(v->get_double())))
    n = static_cast<std::int64_t>(v->get_double());
  if (!n || *n < lo || *n > hi) {
    causes.push_back(std::string(path) + ": The value must be an integer from " + std::to_string(lo) +
                     " to " + std::to_string(hi));
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> one_of(const json::object& o, std::string_view key,
                                  std::initializer_list<std::string_view> allowed,
                                  std::string_view fallback, std::string_view path,
                                  std::vector<std::string>& causes) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::string(fallback);
  if (v->is_string())
    for (auto a : allowed)
      if (v->get_string() == a) return std::string(a);
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  causes.push_back(std::string(path) + ": The value must be one of " + list);
  return std::nullopt;
}

json::array to_array(const std::vector<std::string>& v) {
  json::array a;
  for (auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace gh::api::auth_servers
