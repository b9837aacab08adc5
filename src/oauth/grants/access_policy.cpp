#include "oauth/grants/access_policy.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <limits>
#include <utility>

#include "domain/documents.hpp"
#include "oauth/detail/json_access.hpp"
#include "oauth/tokens/access_token.hpp"

namespace gh::oauth {
namespace {
namespace json = boost::json;
using detail::array_at;
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

// The strings of an array (other members are ignored, as contains_string ignores them).
std::vector<std::string> strings_of(const json::array* a) {
  std::vector<std::string> out;
  if (a)
    for (auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

bool holds(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

AsTokenSettings build(const model::OrgModel& org, std::string_view as_id, const json::object& auth_server) {
  AsTokenSettings out;
  for (auto* d : org.children(domain::kind::as_scope, as_id)) out.scope_names.emplace_back(str_at(d->body, {"name"}));
  for (auto* p : active_by_priority(org.children(domain::kind::as_policy, as_id))) {
    AsTokenSettings::Policy policy{p->id, strings_of(array_at(p->body, {"conditions", "clients", "include"})), {}};
    for (auto* r : active_by_priority(org.children(domain::kind::as_rule, p->id))) {
      AsTokenSettings::Rule rule;
      rule.id = r->id;
      rule.grant_types = strings_of(array_at(r->body, {"conditions", "grantTypes", "include"}));
      rule.scopes = strings_of(array_at(r->body, {"conditions", "scopes", "include"}));
      rule.any_scope = holds(rule.scopes, "*");
      if (auto minutes = int_at(r->body, {"actions", "token", "accessTokenLifetimeMinutes"}); minutes && *minutes > 0)
        rule.access_token_lifetime = std::min<std::int64_t>(*minutes, 24 * 60) * 60;
      policy.rules.push_back(std::move(rule));
    }
    out.policies.push_back(std::move(policy));
  }
  for (auto* d : org.children(domain::kind::as_claim, as_id)) {
    auto& b = d->body;
    auto name = str_at(b, {"name"});
    if (name.empty() || !is_active(b) || str_at(b, {"claimType"}) != "RESOURCE" || is_reserved_claim(name) ||
        str_at(b, {"valueType"}) != "EXPRESSION")
      continue;
    AsTokenSettings::Claim claim;
    claim.name = name;
    claim.always = detail::bool_at(b, {"alwaysIncludeInToken"});
    auto* cond = array_at(b, {"conditions", "scopes"});
    claim.scope_condition = cond != nullptr;
    claim.scopes = strings_of(cond);
    claim.expression = str_at(b, {"value"});
    out.claims.push_back(std::move(claim));
  }
  out.audiences = strings_of(array_at(auth_server, {"audiences"}));
  return out;
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

std::shared_ptr<const AsTokenSettings> as_token_settings(const model::OrgModel& org, std::string_view as_id,
                                                         const json::object& auth_server) {
  // Keyed by the model's version (unique across every org model of the process) and the
  // server's id; a handful of entries per thread, the oldest dropped first.
  struct Entry {
    std::uint64_t version;
    std::string as_id;
    std::shared_ptr<const AsTokenSettings> settings;
  };
  thread_local std::vector<Entry> cache;
  const auto version = org.version();
  for (auto& e : cache)
    if (e.version == version && e.as_id == as_id) return e.settings;
  auto settings = std::make_shared<const AsTokenSettings>(build(org, as_id, auth_server));
  if (cache.size() >= 32) cache.erase(cache.begin());
  cache.push_back({version, std::string(as_id), settings});
  return settings;
}

Result<void> check_scopes_exist(const AsTokenSettings& as, const std::vector<std::string>& scopes) {
  for (auto& s : scopes)
    // okta-compat.md §4.1, OERR no_matching_scope; the scope itself is not echoed (§11.21).
    if (!holds(as.scope_names, s))
      return invalid_scope("One or more scopes are not configured for the authorization server resource.");
  return {};
}

Result<PolicyDecision> evaluate_access_policy(const AsTokenSettings& as, std::string_view client_id,
                                              std::string_view grant_type, const std::vector<std::string>& scopes) {
  const AsTokenSettings::Policy* policy = nullptr;
  for (auto& p : as.policies) {
    if (holds(p.clients, "ALL_CLIENTS") || holds(p.clients, client_id)) {
      policy = &p;
      break;
    }
  }
  if (!policy)  // okta-compat.md §4.1, OERR no_matching_policy
    return access_denied(401, "Policy evaluation failed for this request, please check the policy configurations.");
  for (auto& r : policy->rules) {
    if (!holds(r.grant_types, grant_type)) continue;
    if (!r.any_scope && !std::all_of(scopes.begin(), scopes.end(), [&](auto& s) { return holds(r.scopes, s); }))
      continue;
    return PolicyDecision{policy->id, r.id, r.access_token_lifetime};
  }
  // OERR no_scope_allowed / scope_denied.
  return access_denied(400, "The requested scopes are not allowed by the authorization server policy.");
}

json::object resource_claims(const AsTokenSettings& as, std::string_view client_id,
                             const std::vector<std::string>& scopes) {
  json::object out;
  for (auto& c : as.claims) {
    bool applies = c.always;
    if (c.scope_condition && !applies)
      applies = std::any_of(scopes.begin(), scopes.end(), [&](auto& s) { return holds(c.scopes, s); });
    if (!applies) continue;
    if (auto v = evaluate_expression(c.expression, client_id)) out[c.name] = *v;
  }
  return out;
}

json::value audience_of(const AsTokenSettings& as, std::string_view issuer) {
  if (as.audiences.empty()) return json::string(issuer);
  if (as.audiences.size() == 1) return json::string(as.audiences.front());
  json::array auds;
  for (auto& a : as.audiences) auds.emplace_back(a);
  return auds;
}

}  // namespace gh::oauth
