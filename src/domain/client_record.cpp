#include "domain/client_record.hpp"

#include <algorithm>

#include "core/base64.hpp"
#include "domain/documents.hpp"

namespace gh::domain {
namespace {
namespace json = boost::json;

const json::object* object_member(const json::object* o, std::string_view name) {
  auto* v = o ? o->if_contains(name) : nullptr;
  return v ? v->if_object() : nullptr;
}

std::string string_member(const json::object* o, std::string_view name) {
  auto* v = o ? o->if_contains(name) : nullptr;
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
}  // namespace

bool ClientRecord::allows_grant_type(std::string_view grant_type) const {
  return !grant_types || std::find(grant_types->begin(), grant_types->end(), grant_type) != grant_types->end();
}

ClientRecord parse_client_record(const json::object& body) {
  ClientRecord r;
  r.active = string_member(&body, "status") == "ACTIVE";
  r.token_endpoint_auth_method =
      string_member(object_member(object_member(&body, "credentials"), "oauthClient"), "token_endpoint_auth_method");
  auto* oauth_client = object_member(object_member(&body, "settings"), "oauthClient");
  r.is_service = string_member(oauth_client, "application_type") == "service";
  if (auto* v = oauth_client ? oauth_client->if_contains("grant_types") : nullptr; v && v->is_array()) {
    r.grant_types.emplace();
    for (auto& g : v->get_array())
      if (g.is_string()) r.grant_types->emplace_back(g.get_string());
  }
  if (auto* v = oauth_client ? oauth_client->if_contains("dpop_bound_access_tokens") : nullptr)
    r.dpop_bound_access_tokens = v->is_bool() && v->get_bool();
  r.jwks_uri = string_member(oauth_client, "jwks_uri");
  if (auto* i = object_member(object_member(&body, "_gh"), "integration")) {
    IntegrationInstance inst;
    inst.type = string_member(i, "type");
    inst.vendor_org = string_member(i, "vendorOrg");
    if (auto* t = i->if_contains("testInstance")) inst.test_instance = t->is_bool() && t->get_bool();
    if (auto* d = i->if_contains("declaredScopes"); d && d->is_array())
      for (auto& s : d->get_array())
        if (s.is_string()) inst.declared_scopes.emplace_back(s.get_string());
    r.integration = std::move(inst);
  }
  return r;
}

bool is_client_child_kind(std::string_view kind) {
  return kind == kind::client_secret || kind == kind::app_key || kind == kind::scope_grant;
}

ClientChildRecord parse_client_child_record(std::string_view k, const json::object& body) {
  ClientChildRecord r;
  r.active = string_member(&body, "status") == "ACTIVE";
  if (k == kind::client_secret) {
    auto mac = core::base64url_decode(string_member(object_member(&body, "_gh"), "mac"));
    if (mac) r.match = std::move(*mac);
  } else if (k == kind::app_key) {
    r.match = string_member(&body, "kid");
  } else if (k == kind::scope_grant) {
    r.match = string_member(&body, "scopeId");
  }
  return r;
}

}  // namespace gh::domain
