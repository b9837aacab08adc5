// /api/v1/authorizationServers/{asId}/credentials/keys[/{kid}] and
// …/credentials/lifecycle/keyRotate (okta-compat.md §5 AS key, §1.6, §6).
// Keys are signing_key documents (keys/signing_keys.hpp); only public members are shown.
// The org AS (parent "") has no auth_server document and so is not reachable here.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/authorization_servers/json_mapping.hpp"
#include "api/authorization_servers/lookup.hpp"
#include "api/common/json_body.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"
#include "keys/signing_keys.hpp"

namespace gh::api::auth_servers {
namespace {
namespace json = boost::json;

// How many EXPIRED keys stay published after a rotation (DESIGN.md: "recently EXPIRED keys"), so
// tokens signed before the last two rotations still verify.
constexpr std::size_t kKeepExpired = 2;

int status_rank(std::string_view s) { return s == "ACTIVE" ? 0 : s == "NEXT" ? 1 : 2; }

// Keys of `as_id` in display order: ACTIVE, NEXT, then EXPIRED, newest first within each.
std::string render_keys(const model::OrgModel& org, std::string_view as_id) {
  auto keys = keys::signing_keys(org, as_id);  // newest first
  std::stable_sort(keys.begin(), keys.end(), [](auto* a, auto* b) {
    return status_rank(str_member(a->body, "status")) < status_rank(str_member(b->body, "status"));
  });
  json::array out;
  for (auto* k : keys) out.push_back(render_key(org.url(), *k));
  return json::serialize(out);
}

Result<http::Response> list(Ctx& ctx) {
  auto as_r = find_server(ctx, ctx.params[0]);
  if (!as_r) return as_r.error();
  auto* as = *as_r;
  auto res = ok_json(render_keys(ctx.org, as->id));
  set_links(res, ctx.org.url(), server_path(as->id) + "/credentials/keys", ctx.query, std::nullopt);
  return res;
}

Result<http::Response> get(Ctx& ctx) {
  auto as_r = find_server(ctx, ctx.params[0]);
  if (!as_r) return as_r.error();
  auto* as = *as_r;
  auto key_r = find_child(ctx, domain::kind::signing_key, as->id, ctx.params[1], "JsonWebKey");
  if (!key_r) return key_r.error();
  auto* key = *key_r;
  return ok_json(json::serialize(render_key(ctx.org.url(), *key)));
}

domain::Document with_status(const domain::Document& d, std::string_view status, const std::string& now) {
  auto out = d;
  out.body["status"] = status;
  out.body["lastUpdated"] = now;
  return out;
}

// EXPIRED keys to delete so that at most kKeepExpired remain once `newly_expired` more join them:
// the oldest by expiry (lastUpdated), then by creation.
std::vector<const domain::Document*> expired_to_prune(const model::OrgModel& org, std::string_view as_id,
                                                      std::size_t newly_expired) {
  auto expired = keys::signing_keys(org, as_id, "EXPIRED");
  std::stable_sort(expired.begin(), expired.end(), [](auto* a, auto* b) {
    return str_member(a->body, "lastUpdated") > str_member(b->body, "lastUpdated");
  });
  std::size_t keep = kKeepExpired > newly_expired ? kKeepExpired - newly_expired : 0;
  if (expired.size() <= keep) return {};
  return {expired.begin() + static_cast<std::ptrdiff_t>(keep), expired.end()};
}

// MGMT-OAS rotateAuthorizationServerKeys: ACTIVE → EXPIRED, NEXT → ACTIVE, a new NEXT. New tokens
// use the new ACTIVE key at once (KeyRing::active reads the status from the model); tokens signed
// with the old key verify while it is published. 200 with the keys as a JSON array and no Link
// header: the SDK wraps this POST in a Collection and would POST again on rel="next" (§1.6).
Result<http::Response> rotate(Ctx& ctx) {
  auto as_r = find_server(ctx, ctx.params[0]);
  if (!as_r) return as_r.error();
  auto* as = *as_r;
  auto body_v = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body_v) return body_v.error();
  FieldReader r(*body_v);
  if (auto use = r.string("use", false, "use"); use && *use != "sig")
    r.causes().push_back("use: The value must be sig");
  if (!r.ok()) return validation_failed("use", r.causes());

  auto now = ctx.now();
  auto now_iso = iso(now);
  auto alg = server_alg(*as);
  store::ChangeSet changes;
  auto active = keys::signing_keys(ctx.org, as->id, "ACTIVE");
  auto next = keys::signing_keys(ctx.org, as->id, "NEXT");
  for (auto* k : expired_to_prune(ctx.org, as->id, active.size()))
    changes.push_back(store::DeleteDocument{k->kind, k->id});
  for (auto* k : active) changes.push_back(store::PutDocument{with_status(*k, "EXPIRED", now_iso)});
  std::string new_active;
  if (!next.empty()) {
    new_active = next.back()->id;  // the oldest NEXT (normally the only one)
    changes.push_back(store::PutDocument{with_status(*next.back(), "ACTIVE", now_iso)});
  }
  for (std::string_view status : {"ACTIVE", "NEXT"}) {
    if (status == "ACTIVE" && !new_active.empty()) continue;
    auto k = keys::new_signing_key(alg, as->id, status, ctx.deps.sealer, ctx.deps.random, now);
    if (!k) return internal_error(k.error());  // signing key generation failed
    if (status == "ACTIVE") new_active = k->id;
    changes.push_back(store::PutDocument{std::move(*k)});
  }
  auto server = *as;
  auto& cred = server.body["credentials"];
  if (!cred.is_object()) cred = json::object{};
  auto& signing = cred.as_object()["signing"];
  if (!signing.is_object()) signing = json::object{};
  signing.as_object()["kid"] = new_active;
  signing.as_object()["lastRotated"] = now_iso;
  signing.as_object()["rotationMode"] = "MANUAL";
  signing.as_object()["use"] = "sig";
  server.body["lastUpdated"] = now_iso;
  changes.push_back(store::PutDocument{std::move(server)});
  std::string as_id = as->id;
  if (auto c = commit(ctx, changes); !c) return c.error();
  return ok_json(render_keys(ctx.org, as_id));
}
}  // namespace

void register_keys(ApiRouter& r) {
  using M = http::Method;
  using domain::Action;
  using domain::Resource;
  const domain::Permission read{Resource::authorizationServers, Action::read};
  const domain::Permission manage{Resource::authorizationServers, Action::manage};
  const std::string base = std::string(kCollectionPath) + "/{authServerId}/credentials";
  r.add(M::get, base + "/keys", {read, list});
  r.add(M::get, base + "/keys/{keyId}", {read, get});
  r.add(M::post, base + "/lifecycle/keyRotate", {manage, rotate});
}

}  // namespace gh::api::auth_servers
