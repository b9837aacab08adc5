#include "oauth/grants/access_policy.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <limits>

#include "domain/documents.hpp"
#include "oauth/detail/json_access.hpp"
#include "oauth/tokens/access_token.hpp"

namespace gh::oauth {
namespace {
namespace json = boost::json;
using detail::array_at;
using detail::contains_string;
using detail::int_at;
using detail::is_active;
using detail::str_at;

// ACTIVE documents ordered by priority (lowest first; ties by id, as children() returns them).
std::vector<const domain::Document*> active_by_priority(std::vector<const domain::Document*> docs) {
  std::erase_if(docs, [](auto* d) { return !is_active(d->body); });
  auto prio = [](const domain::Document* d) {
    return int_at(d->body, {"priority"}).value_or(std::numeric_limits<std::int64_t>::max());
  };
  std::stable_sort(docs.begin(), docs.end(), [&](auto* a, auto* b) { return prio(a) < prio(b); });
  return docs;
}

bool rule_allows_scopes(const json::object& rule, const std::vector<std::string>& scopes) {
  auto* include = array_at(rule, {"conditions", "scopes", "include"});
  if (contains_string(include, "*")) return true;
  return std::all_of(scopes.begin(), scopes.end(),
                     [&](const std::string& s) { return contains_string(include, s); });
}

// §11.17: `app.clientId` or a string literal; nullopt for anything else.
std::optional<std::string> evaluate_expression(std::string_view expr, std::string_view client_id) {
  while (!expr.empty() && expr.front() == ' ') expr.remove_prefix(1);
  while (!expr.empty() && expr.back() == ' ') expr.remove_suffix(1);
  if (expr == "app.clientId") return std::string(client_id);
  if (expr.size() >= 2 && expr.front() == '"' && expr.back() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < expr.size(); ++i) {
      if (expr[i] == '\\' && i + 2 < expr.size()) ++i;
      else if (expr[i] == '"') return std::nullopt;  // not one literal
      out += expr[i];
    }
    return out;
  }
  return std::nullopt;
}

}  // namespace

Result<void> check_scopes_exist(const model::OrgModel& org, std::string_view as_id,
                                const std::vector<std::string>& scopes) {
  auto defined = org.children(domain::kind::as_scope, as_id);
  for (auto& s : scopes) {
    bool found = std::any_of(defined.begin(), defined.end(),
                             [&](auto* d) { return str_at(d->body, {"name"}) == s; });
    // okta-compat.md §4.1, OERR no_matching_scope; the scope itself is not echoed (§11.21).
    if (!found) return invalid_scope("One or more scopes are not configured for the authorization server resource.");
  }
  return {};
}

Result<PolicyDecision> evaluate_access_policy(const model::OrgModel& org, std::string_view as_id,
                                              std::string_view client_id, std::string_view grant_type,
                                              const std::vector<std::string>& scopes) {
  const domain::Document* policy = nullptr;
  for (auto* p : active_by_priority(org.children(domain::kind::as_policy, as_id))) {
    auto* clients = array_at(p->body, {"conditions", "clients", "include"});
    if (contains_string(clients, "ALL_CLIENTS") || contains_string(clients, client_id)) {
      policy = p;
      break;
    }
  }
  if (!policy)  // okta-compat.md §4.1, OERR no_matching_policy
    return access_denied(401, "Policy evaluation failed for this request, please check the policy configurations.");
  for (auto* r : active_by_priority(org.children(domain::kind::as_rule, policy->id))) {
    if (!contains_string(array_at(r->body, {"conditions", "grantTypes", "include"}), grant_type)) continue;
    if (!rule_allows_scopes(r->body, scopes)) continue;
    PolicyDecision out{policy->id, r->id, 3600};
    if (auto minutes = int_at(r->body, {"actions", "token", "accessTokenLifetimeMinutes"}); minutes && *minutes > 0)
      out.access_token_lifetime = std::min<std::int64_t>(*minutes, 24 * 60) * 60;
    return out;
  }
  // OERR no_scope_allowed / scope_denied.
  return access_denied(400, "The requested scopes are not allowed by the authorization server policy.");
}

json::object resource_claims(const model::OrgModel& org, std::string_view as_id,
                             std::string_view client_id, const std::vector<std::string>& scopes) {
  json::object out;
  for (auto* d : org.children(domain::kind::as_claim, as_id)) {
    auto& b = d->body;
    auto name = str_at(b, {"name"});
    if (name.empty() || !is_active(b) || str_at(b, {"claimType"}) != "RESOURCE" || is_reserved_claim(name))
      continue;
    bool applies = detail::bool_at(b, {"alwaysIncludeInToken"});
    if (auto* cond = array_at(b, {"conditions", "scopes"}); cond && !applies)
      applies = std::any_of(scopes.begin(), scopes.end(), [&](auto& s) { return contains_string(cond, s); });
    if (!applies || str_at(b, {"valueType"}) != "EXPRESSION") continue;
    if (auto v = evaluate_expression(str_at(b, {"value"}), client_id)) out[name] = *v;
  }
  return out;
}

json::value audience_of(const json::object& as, std::string_view issuer) {
  json::array auds;
  if (auto* a = array_at(as, {"audiences"}))
    for (auto& v : *a)
      if (v.is_string()) auds.push_back(v);
  if (auds.empty()) return json::string(issuer);
  if (auds.size() == 1) return auds[0];
  return auds;
}

}  // namespace gh::oauth
