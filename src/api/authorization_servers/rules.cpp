// /api/v1/authorizationServers/{asId}/policies/{policyId}/rules[/{ruleId}] (okta-compat.md §5
// Rule, §6): list, create (201), get, replace, delete (any status, §11.16), lifecycle → 204.
#include <algorithm>
#include <array>

#include "api/authorization_servers/children.hpp"
#include "api/authorization_servers/json_mapping.hpp"
#include "api/common/json_body.hpp"

namespace gh::api::auth_servers {
namespace {
namespace json = boost::json;

// MGMT-OAS AuthorizationServerPolicyRuleConditions grantTypes.include values.
constexpr std::array<std::string_view, 8> kGrantTypes = {
    "authorization_code", "client_credentials", "implicit", "password", "interaction_code",
    "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange"};
constexpr std::int64_t kFiveYearsMinutes = 5LL * 365 * 24 * 60;

struct RuleParse {
  const domain::Document& as;
  const domain::Document& policy;
  const domain::Document* existing;
};

// conditions: grantTypes.include (non-empty, known values), scopes.include (non-empty: "*" or
// scopes of the AS), people.groups.include (default ["EVERYONE"]; else group ids of the org) and
// people.users.include (user ids of the org).
json::object parse_conditions(Ctx& ctx, const RuleParse& p, const json::object& cond, std::vector<std::string>& causes) {
  auto list_at = [&](const char* obj, const json::object& in, std::string path, bool required) {
    FieldReader r(in);
    auto* o = r.object(obj, required, path);
    for (auto& c : r.causes()) causes.push_back(c);
    return o ? string_list(*o, "include", required, path + ".include", causes) : std::nullopt;
  };
  auto grants = list_at("grantTypes", cond, "conditions.grantTypes", true);
  for (auto& g : grants.value_or(std::vector<std::string>{}))
    if (std::find(kGrantTypes.begin(), kGrantTypes.end(), g) == kGrantTypes.end())
      causes.push_back("conditions.grantTypes.include: " + g + " is not a supported grant type");
  auto scopes = list_at("scopes", cond, "conditions.scopes", true);
  for (auto& s : scopes.value_or(std::vector<std::string>{})) {
    bool known = s == "*";
    for (auto* d : ctx.org.children(domain::kind::as_scope, p.as.id)) known = known || str_member(d->body, "name") == s;
    if (!known) causes.push_back("conditions.scopes.include: " + s + " is not a scope of this authorization server");
  }
  std::vector<std::string> groups{"EVERYONE"};
  std::optional<std::vector<std::string>> users;
  FieldReader r(cond);
  if (auto* people = r.object("people", false, "conditions.people")) {
    if (auto g = list_at("groups", *people, "conditions.people.groups", false)) groups = std::move(*g);
    users = list_at("users", *people, "conditions.people.users", false);
  }
  for (auto& c : r.causes()) causes.push_back(c);
  for (auto& g : groups)
    if (g != "EVERYONE" && !ctx.org.group(g)) causes.push_back("conditions.people.groups.include: " + g + " is not a group");
  for (auto& u : users.value_or(std::vector<std::string>{}))
    if (!ctx.org.user(core::UserId{u})) causes.push_back("conditions.people.users.include: " + u + " is not a user");
  json::object people{{"groups", json::object{{"include", to_array(groups)}}}};
  if (users) people["users"] = json::object{{"include", to_array(*users)}};
  return {{"people", std::move(people)},
          {"grantTypes", json::object{{"include", to_array(grants.value_or(std::vector<std::string>{}))}}},
          {"scopes", json::object{{"include", to_array(scopes.value_or(std::vector<std::string>{}))}}}};
}

// actions.token: accessTokenLifetimeMinutes 5..1440 (default 60), refreshTokenLifetimeMinutes
// 0 (unlimited)..5 years (default 0), refreshTokenWindowMinutes 5..5 years (default 10080).
json::object parse_token_action(const json::object* actions, std::vector<std::string>& causes) {
  json::object empty;
  const json::object* token = nullptr;
  if (actions) {
    FieldReader r(*actions);
    token = r.object("token", false, "actions.token");
    for (auto& c : r.causes()) causes.push_back(c);
  }
  if (!token) token = &empty;
  auto access = integer(*token, "accessTokenLifetimeMinutes", 5, 1440,
                        "actions.token.accessTokenLifetimeMinutes", causes);
  auto refresh = integer(*token, "refreshTokenLifetimeMinutes", 0, kFiveYearsMinutes,
                         "actions.token.refreshTokenLifetimeMinutes", causes);
  auto window = integer(*token, "refreshTokenWindowMinutes", 5, kFiveYearsMinutes,
                        "actions.token.refreshTokenWindowMinutes", causes);
  return {{"accessTokenLifetimeMinutes", access.value_or(60)},
          {"refreshTokenLifetimeMinutes", refresh.value_or(0)},
          {"refreshTokenWindowMinutes", window.value_or(10080)}};
}

Result<json::object> parse_rule(Ctx& ctx, const Parents& parents, const json::object& body,
                                FieldReader& r, const domain::Document* existing) {
  const RuleParse p{parents.as, parents.parent, existing};
  auto& causes = r.causes();
  one_of(body, "type", {"RESOURCE_ACCESS"}, "RESOURCE_ACCESS", "type", causes);
  auto name = r.string("name", true, "name");
  auto status = one_of(body, "status", {"ACTIVE", "INACTIVE"}, p.existing ? str_member(p.existing->body, "status") : "ACTIVE",
                       "status", causes);
  auto priority = integer(body, "priority", 1, 1'000'000, "priority", causes);
  auto* cond = r.object("conditions", true, "conditions");
  auto* actions = r.object("actions", false, "actions");
  json::object conditions;
  if (cond) conditions = parse_conditions(ctx, p, *cond, causes);
  auto token = parse_token_action(actions, causes);
  if (!causes.empty()) return validation_failed("rule", causes);
  if (!priority && p.existing && p.existing->body.contains("priority") && p.existing->body.at("priority").is_int64())
    priority = p.existing->body.at("priority").get_int64();
  if (!priority) {
    std::int64_t last = 0;
    for (auto* d : ctx.org.children(domain::kind::as_rule, p.policy.id))
      if (auto* v = d->body.if_contains("priority"); v && v->is_int64()) last = std::max(last, v->get_int64());
    priority = last + 1;
  }
  bool system = p.existing && p.existing->body.contains("system") && p.existing->body.at("system") == true;
  return json::object{{"name", *name},
                      {"type", "RESOURCE_ACCESS"},
                      {"priority", *priority},
                      {"status", *status},
                      {"system", system},
                      {"conditions", std::move(conditions)},
                      {"actions", json::object{{"token", std::move(token)}}},
                      {"_gh", json::object{{"authServerId", p.as.id}}}};
}
}  // namespace

const ChildKind kRules{domain::kind::as_rule, id_prefix::rule, "AuthorizationServerPolicyRule",
                       "rules", "{ruleId}", true, true,
                       parse_rule, render_rule};

}  // namespace gh::api::auth_servers
