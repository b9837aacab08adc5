// /api/v1/authorizationServers and /{asId} (okta-compat.md §5 Authorization server, §6): list,
// create (201), get, replace, delete (any status; never `default`), lifecycle → 204.
#include <boost/json/array.hpp>
#include <spdlog/spdlog.h>

#include "api/authorization_servers/defaults.hpp"
#include "api/authorization_servers/json_mapping.hpp"
#include "api/authorization_servers/lookup.hpp"
#include "api/common/json_body.hpp"
#include "api/common/listing.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"
#include "core/ids.hpp"

namespace gh::api::auth_servers {
namespace {
namespace json = boost::json;

struct ServerInput {
  std::string name, description;
  std::vector<std::string> audiences;
  jose::Alg alg = jose::Alg::RS256;
};

// {name, description?, audiences[], issuerMode?: "ORG_URL", signing?: {alg}}. The name is unique
// in the org (case-insensitive). `signing.alg` is Gatehouse's extension: RS256 (default), ES256
// or EdDSA; it is fixed at creation, so a replace may only repeat it.
Result<ServerInput> parse_server(Ctx& ctx, const domain::Document* existing) {
  auto body_v = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body_v) return body_v.error();
  auto& body = *body_v;
  FieldReader r(body);
  ServerInput in;
  auto name = r.string("name", true, "name");
  auto description = r.string("description", false, "description");
  auto& causes = r.causes();
  auto audiences = string_list(body, "audiences", true, "audiences", causes);
  one_of(body, "issuerMode", {"ORG_URL"}, "ORG_URL", "issuerMode", causes);
  std::optional<std::string> alg = std::string(existing ? jose::alg_name(server_alg(*existing)) : "RS256");
  if (auto* signing = r.object("signing", false, "signing"))
    alg = one_of(*signing, "alg", {"RS256", "ES256", "EdDSA"}, *alg, "signing.alg", causes);
  if (alg && existing && *alg != jose::alg_name(server_alg(*existing)))
    causes.push_back("signing.alg: The signing algorithm of an authorization server cannot be changed");
  if (name) {
    for (const auto& [id, d] : ctx.org.docs(domain::kind::auth_server))
      if ((!existing || id != existing->id) && http::iequals(str_member(d.body, "name"), *name))
        causes.push_back("name: An authorization server with this name already exists");
  }
  if (!causes.empty()) return validation_failed("authorizationServer", causes);
  in.name = *name;
  in.description = description.value_or("");
  in.audiences = std::move(*audiences);
  in.alg = *jose::parse_alg(*alg);
  return in;
}

Result<http::Response> list(Ctx& ctx) {
  auto page_v = parse_page(ctx.query, 200, 200);  // okta-compat.md §2: default 200, max 200
  if (!page_v) return page_v.error();
  auto& page = *page_v;
  auto q = ctx.query.get("q").value_or("");
  auto matches = [&](const domain::Document& d) {  // MGMT-OAS: q searches name and audiences
    if (icontains(str_member(d.body, "name"), q)) return true;
    if (auto* a = d.body.if_contains("audiences"); a && a->is_array())
      for (auto& v : a->get_array())
        if (v.is_string() && icontains(v.get_string(), q)) return true;
    return false;
  };
  std::deque<std::string> rendered;
  auto out = collect_page(
      ctx.org.docs(domain::kind::auth_server), page, matches,
      [&](const domain::Document& d) { return render_server(ctx.org, d); }, rendered);
  auto res = ok_json(json_array(out.items));
  set_links(res, ctx.org.url(), kCollectionPath, ctx.query, out.next_after);
  return res;
}

Result<http::Response> create(Ctx& ctx) {
  auto in_v = parse_server(ctx, nullptr);
  if (!in_v) return in_v.error();
  auto& in = *in_v;
  auto id = core::new_id(ctx.deps.random, id_prefix::auth_server);
  auto now = ctx.now();
  auto keys = new_key_pair(in.alg, id, ctx.deps.sealer, ctx.deps.random, now);
  if (!keys) return internal_error(keys.error());  // signing key generation failed
  store::ChangeSet changes;
  changes.push_back(store::PutDocument{
      new_auth_server(id, in.name, in.description, in.audiences, in.alg, keys->front().id, now)});
  for (auto& k : *keys) changes.push_back(store::PutDocument{std::move(k)});
  for (auto& s : system_scopes(id, ctx.deps.random, now)) changes.push_back(store::PutDocument{std::move(s)});
  if (auto r = commit(ctx, changes); !r) return r.error();
  return ok_json(render_server(ctx.org, *ctx.org.doc(domain::kind::auth_server, id)), 201);
}

Result<http::Response> get(Ctx& ctx) {
  auto as_r = find_server(ctx, ctx.params[0]);
  if (!as_r) return as_r.error();
  auto* as = *as_r;
  return ok_json(render_server(ctx.org, *as));
}

// PUT replaces name, description and audiences; status, keys and the algorithm stay.
Result<http::Response> replace(Ctx& ctx) {
  auto as_r = find_server(ctx, ctx.params[0]);
  if (!as_r) return as_r.error();
  auto* as = *as_r;
  auto in_v = parse_server(ctx, as);
  if (!in_v) return in_v.error();
  auto& in = *in_v;
  auto doc = *as;
  doc.body["name"] = in.name;
  doc.body["description"] = in.description;
  doc.body["audiences"] = to_array(in.audiences);
  doc.body["lastUpdated"] = iso(ctx.now());
  if (auto r = commit(ctx, {store::PutDocument{doc}}); !r) return r.error();
  return ok_json(render_server(ctx.org, *ctx.org.doc(domain::kind::auth_server, doc.id)));
}

// MGMT-OAS deleteAuthorizationServer, okta-compat.md §5 Authorization server: 204 whether ACTIVE or
// INACTIVE; its scopes, claims, policies (with their rules) and keys go with it. Its tokens are
// refused from then on, as an unknown server's are (oauth::find_auth_server, the verifier's
// unknown_auth_server). `default` exists in every org and cannot be deleted.
Result<http::Response> remove(Ctx& ctx) {
  auto as_r = find_server(ctx, ctx.params[0]);
  if (!as_r) return as_r.error();
  auto* as = *as_r;
  if (as->id == kDefaultAuthServerId)
    return validation_failed("id", {"id: The default authorization server cannot be deleted"});
  store::ChangeSet changes;
  for (auto* p : ctx.org.children(domain::kind::as_policy, as->id))  // rules are grandchildren
    changes.push_back(store::DeleteDocument{p->kind, p->id});
  changes.push_back(store::DeleteDocument{as->kind, as->id});
  if (auto r = commit(ctx, changes); !r) return r.error();
  return no_content();
}

Result<http::Response> lifecycle(Ctx& ctx, std::string_view status) {
  auto as_r = find_server(ctx, ctx.params[0]);
  if (!as_r) return as_r.error();
  auto* as = *as_r;
  return set_status(ctx, *as, status);
}
}  // namespace

void register_servers(ApiRouter& r) {
  using M = http::Method;
  using domain::Action;
  using domain::Resource;
  const domain::Permission read{Resource::authorizationServers, Action::read};
  const domain::Permission manage{Resource::authorizationServers, Action::manage};
  const std::string base(kCollectionPath);
  r.add(M::get, base, {read, list});
  r.add(M::post, base, {manage, create});
  r.add(M::get, base + "/{authServerId}", {read, get});
  r.add(M::put, base + "/{authServerId}", {manage, replace});
  r.add(M::delete_, base + "/{authServerId}", {manage, remove});
  r.add(M::post, base + "/{authServerId}/lifecycle/activate",
        {manage, [](Ctx& ctx) { return lifecycle(ctx, "ACTIVE"); }});
  r.add(M::post, base + "/{authServerId}/lifecycle/deactivate",
        {manage, [](Ctx& ctx) { return lifecycle(ctx, "INACTIVE"); }});
}

}  // namespace gh::api::auth_servers
