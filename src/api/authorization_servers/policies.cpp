// /api/v1/authorizationServers/{asId}/policies[/{policyId}] (okta-compat.md §5 Policy, §6): list,
// create (201), get, replace, delete (any status, §11.16; its rules go with it), lifecycle → 204.
#include "api/authorization_servers/children.hpp"
#include "api/authorization_servers/json_mapping.hpp"
#include "api/common/json_body.hpp"

namespace gh::api::auth_servers {
namespace {
namespace json = boost::json;

// The stored body of a policy of `as_id`: {type?, name, description?, priority?, status?,
// conditions.clients.include: ["ALL_CLIENTS"] or client ids of this org}. Without a priority a
// new policy goes last.
Result<json::object> parse_policy(Ctx& ctx, const Parents& parents, const json::object& body,
                                  FieldReader& r, const domain::Document* existing) {
  std::string_view as_id = parents.as.id;
  auto& causes = r.causes();
  one_of(body, "type", {"OAUTH_AUTHORIZATION_POLICY"}, "OAUTH_AUTHORIZATION_POLICY", "type", causes);
  auto name = r.string("name", true, "name");
  auto description = r.string("description", false, "description");
  auto status = one_of(body, "status", {"ACTIVE", "INACTIVE"}, existing ? str_member(existing->body, "status") : "ACTIVE",
                       "status", causes);
  auto priority = integer(body, "priority", 1, 1'000'000, "priority", causes);
  std::optional<std::vector<std::string>> clients;
  auto* cond = r.object("conditions", true, "conditions");
  const json::object* cl = nullptr;
  if (cond) {
    FieldReader cr(*cond);
    cl = cr.object("clients", true, "conditions.clients");
    for (auto& c : cr.causes()) causes.push_back(c);
  }
  if (cl) clients = string_list(*cl, "include", true, "conditions.clients.include", causes);
  if (clients) {
    bool all = std::find(clients->begin(), clients->end(), "ALL_CLIENTS") != clients->end();
    if (all && clients->size() > 1)
      causes.push_back("conditions.clients.include: ALL_CLIENTS cannot be combined with client ids");
    for (auto& id : *clients)
      if (!all && !ctx.org.doc(domain::kind::app, id))
        causes.push_back("conditions.clients.include: " + id + " is not a client of this org");
  }
  if (!causes.empty()) return validation_failed("policy", causes);
  if (!priority) {
    std::int64_t last = 0;
    for (auto* p : ctx.org.children(domain::kind::as_policy, as_id))
      if (auto* v = p->body.if_contains("priority"); v && v->is_int64() && (!existing || p->id != existing->id))
        last = std::max(last, v->get_int64());
    priority = existing && existing->body.contains("priority") && existing->body.at("priority").is_int64()
                   ? existing->body.at("priority").get_int64()
                   : last + 1;
  }
  bool system = existing && existing->body.contains("system") && existing->body.at("system") == true;
  return json::object{{"type", "OAUTH_AUTHORIZATION_POLICY"},
                      {"name", *name},
                      {"description", description.value_or("")},
                      {"priority", *priority},
                      {"status", *status},
                      {"system", system},
                      {"conditions", json::object{{"clients", json::object{{"include", to_array(*clients)}}}}}};
}
}  // namespace

const ChildKind kPolicies{domain::kind::as_policy, id_prefix::policy, "AuthorizationServerPolicy",
                          "policies", "{policyId}", false, true,
                          parse_policy, render_policy, nullptr};

}  // namespace gh::api::auth_servers
