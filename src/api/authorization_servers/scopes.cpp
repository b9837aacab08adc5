// /api/v1/authorizationServers/{asId}/scopes[/{scopeId}] (okta-compat.md §5 Scope, §6): list,
// create (201), get, replace, delete (any status, §11.16). A duplicate name → 400 E0000001.
#include "api/authorization_servers/children.hpp"
#include "api/authorization_servers/json_mapping.hpp"
#include "api/common/json_body.hpp"

namespace gh::api::auth_servers {
namespace {
namespace json = boost::json;

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
bool is_scope_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) return false;
  return true;
}

// The stored body of a scope of the server `parents.as`; `existing` is the scope replaced (or null).
Result<json::object> parse_scope(Ctx& ctx, const Parents& parents, const json::object& body,
                                 FieldReader& r, const domain::Document* existing) {
  auto& causes = r.causes();
  auto name = r.string("name", true, "name");
  auto description = r.string("description", false, "description");
  auto display = r.string("displayName", false, "displayName");
  auto consent = one_of(body, "consent", {"IMPLICIT", "REQUIRED", "FLEXIBLE"}, "IMPLICIT", "consent", causes);
  auto publish = one_of(body, "metadataPublish", {"ALL_CLIENTS", "NO_CLIENTS"}, "NO_CLIENTS", "metadataPublish", causes);
  auto is_default = r.boolean("default", "default");
  auto optional = r.boolean("optional", "optional");
  bool system = existing && existing->body.contains("system") && existing->body.at("system") == true;
  if (name && !is_scope_token(*name))
    causes.push_back("name: A scope name may not contain spaces, quotes or backslashes (RFC 6749 §3.3)");
  else if (name && name->starts_with("okta."))
    causes.push_back("name: Scope names beginning with okta. are reserved for the org authorization server");
  if (name && system && *name != str_member(existing->body, "name"))
    causes.push_back("name: A system scope cannot be renamed");
  if (name)
    for (auto* s : ctx.org.children(domain::kind::as_scope, parents.as.id))
      if ((!existing || s->id != existing->id) && str_member(s->body, "name") == *name)
        causes.push_back("name: A scope with this name already exists in the authorization server");
  if (!causes.empty()) return validation_failed("scope", causes);
  return json::object{{"name", *name},
                      {"description", description.value_or("")},
                      {"displayName", display.value_or(*name)},
                      {"consent", *consent},
                      {"default", is_default.value_or(false)},
                      {"optional", optional.value_or(false)},
                      {"metadataPublish", *publish},
                      {"system", system}};
}

std::optional<ApiError> refuse_delete(const domain::Document& d) {
  if (d.body.contains("system") && d.body.at("system") == true)
    return validation_failed("scope", {"system: A system scope cannot be deleted"});
  return std::nullopt;
}
}  // namespace

const ChildKind kScopes{domain::kind::as_scope, id_prefix::scope, "OAuth2Scope",
                        "scopes", "{scopeId}", false, false,
                        parse_scope, render_scope, refuse_delete};

}  // namespace gh::api::auth_servers
