// /api/v1/users/{id}/lifecycle/{activate,reactivate,deactivate,suspend,unsuspend}
// (okta-compat.md §5 User; transition rules in domain/lifecycle.cpp).
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/common/respond.hpp"
#include "api/users/users.hpp"
#include "core/ids.hpp"
#include "domain/lifecycle.hpp"

namespace gh::api::users {
namespace {
using domain::LifecycleOp;

std::string_view op_name(LifecycleOp op) {
  switch (op) {
    case LifecycleOp::activate: return "activate";
    case LifecycleOp::reactivate: return "reactivate";
    case LifecycleOp::deactivate: return "deactivate";
    case LifecycleOp::suspend: return "suspend";
    case LifecycleOp::unsuspend: return "unsuspend";
  }
  return "";
}

Result<http::Response> lifecycle(Ctx& ctx, LifecycleOp op) {
  auto* e = find_user(ctx, ctx.params[0]);
  if (!e) return not_found(ctx.params[0] + " (User)");
  auto next = domain::transition(e->user.status, op, !e->user.password_hash.empty());
  if (!next)
    return validation_failed(std::string(op_name(op)), {"Cannot " + std::string(op_name(op)) +
                                                        " a user whose status is " +
                                                        std::string(to_string(e->user.status))});
  auto u = e->user;
  u.status = *next;
  u.status_changed = u.last_updated = ctx.now();
  if (op == LifecycleOp::activate || op == LifecycleOp::reactivate) u.activated = u.status_changed;
  store::ChangeSet cs{store::PutUser{u}};
  // Deactivated or suspended owners lose their API tokens for good (issue #2).
  if (op == LifecycleOp::deactivate || op == LifecycleOp::suspend) revoke_tokens_of(ctx, u.id, cs);
  if (auto r = commit(ctx, cs); !r) return r.error();
  if (op == LifecycleOp::activate || op == LifecycleOp::reactivate) {
    // activate answers a JSON object, never an empty body (okta-compat.md §5, PROBE:5).
    boost::json::object body;
    if (ctx.query.get("sendEmail").value_or("true") == "false") {
      auto token = core::random_base62(ctx.deps.random, 20);
      body["activationUrl"] = ctx.org.url() + "/welcome/" + token;
      body["activationToken"] = token;
    }
    return ok_json(boost::json::serialize(body));
  }
  return http::Response::empty(200);  // declared 200 void: no body, no Content-Type (§1.4)
}
}  // namespace

void register_lifecycle(ApiRouter& r) {
  using domain::Action;
  using domain::Resource;
  const domain::Permission manage{Resource::users, Action::manage};
  for (auto op : {LifecycleOp::activate, LifecycleOp::reactivate, LifecycleOp::deactivate,
                  LifecycleOp::suspend, LifecycleOp::unsuspend})
    r.add(http::Method::post, "/api/v1/users/{id}/lifecycle/" + std::string(op_name(op)),
          {manage, [op](Ctx& c) { return lifecycle(c, op); }});
}

}  // namespace gh::api::users
