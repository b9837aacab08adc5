// /api/v1/authorizationServers/{asId}/claims[/{claimId}] (okta-compat.md §5 Claim, §6): list,
// create (201), get, replace, delete (any status, §11.16).
// Values are EXPRESSIONs from a small documented subset of Okta EL (§11.17): a double-quoted
// string literal ("\"acme\"" in JSON) or app.clientId; anything else → 400 E0000001.
#include <array>

#include "api/authorization_servers/children.hpp"
#include "api/authorization_servers/json_mapping.hpp"
#include "api/common/json_body.hpp"

namespace gh::api::auth_servers {
namespace {
namespace json = boost::json;

// Claims the server sets itself (okta-compat.md §4.2, OIDC Core §2): never custom.
constexpr std::array<std::string_view, 18> kReserved = {"iss", "sub", "aud", "exp", "nbf", "iat",
                                                        "jti", "cid", "uid", "scp", "ver", "cnf",
                                                        "auth_time", "amr", "idp", "nonce",
                                                        "at_hash", "c_hash"};

// An Okta EL string literal: "…" with `\` escaping the next character and no other `"` inside
// (the JSON "\"acme\"" of okta-compat.md §11.17). Returns its value, or nullopt when `e` is not
// exactly one literal. The token minter (oauth/grants/access_policy.cpp) reads values the same way.
std::optional<std::string> string_literal(std::string_view e) {
  if (e.size() < 2 || e.front() != '"' || e.back() != '"') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < e.size(); ++i) {
    if (e[i] == '\\' && i + 2 < e.size()) ++i;
    else if (e[i] == '"') return std::nullopt;  // a quote ends the literal early: more than one term
    out += e[i];
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The stored body of a claim of the server `parents.as`; `existing` is the claim replaced (or null).
Result<json::object> parse_claim(Ctx& ctx, const Parents& parents, const json::object& body,
                                 FieldReader& r, const domain::Document* existing) {
  auto& causes = r.causes();
  auto name = r.string("name", true, "name");
  auto status = one_of(body, "status", {"ACTIVE", "INACTIVE"}, "ACTIVE", "status", causes);
  auto claim_type = one_of(body, "claimType", {"RESOURCE", "IDENTITY"}, "", "claimType", causes);
  if (claim_type && claim_type->empty()) causes.push_back("claimType: The field cannot be left blank");
  auto value_type = one_of(body, "valueType", {"EXPRESSION"}, "EXPRESSION", "valueType", causes);
  auto value = r.string("value", true, "value");
  auto always = r.boolean("alwaysIncludeInToken", "alwaysIncludeInToken");
  std::optional<std::vector<std::string>> scopes = std::vector<std::string>{};
  if (auto* cond = r.object("conditions", false, "conditions"))
    scopes = string_list(*cond, "scopes", false, "conditions.scopes", causes);
  if (!scopes) scopes.emplace();
  for (auto& s : *scopes) {
    bool known = false;
    for (auto* d : ctx.org.children(domain::kind::as_scope, parents.as.id)) known = known || str_member(d->body, "name") == s;
    if (!known) causes.push_back("conditions.scopes: " + s + " is not a scope of this authorization server");
  }
  if (value) {
    auto e = trim(*value);
    if (!string_literal(e) && e != "app.clientId")
      causes.push_back("value: Supported expressions are string literals (\"\\\"text\\\"\") and app.clientId");
  }
  if (name) {
    for (auto reserved : kReserved)
      if (*name == reserved) causes.push_back("name: " + *name + " is a reserved claim");
    for (auto* c : ctx.org.children(domain::kind::as_claim, parents.as.id))
      if ((!existing || c->id != existing->id) && str_member(c->body, "name") == *name &&
          claim_type && str_member(c->body, "claimType") == *claim_type)
        causes.push_back("name: A claim with this name and claimType already exists");
  }
  if (!causes.empty()) return validation_failed("claim", causes);
  return json::object{{"name", *name},
                      {"status", *status},
                      {"claimType", *claim_type},
                      {"valueType", *value_type},
                      {"value", *value},
                      {"alwaysIncludeInToken", always.value_or(true)},
                      {"conditions", json::object{{"scopes", to_array(*scopes)}}},
                      {"system", false}};
}
}  // namespace

const ChildKind kClaims{domain::kind::as_claim, id_prefix::claim, "OAuth2Claim",
                        "claims", "{claimId}", false, false,
                        parse_claim, render_claim, nullptr};

}  // namespace gh::api::auth_servers
