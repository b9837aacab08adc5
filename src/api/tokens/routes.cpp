// /api/v1/api-tokens (okta-compat.md §5 API token metadata, §6, §11.10–11): list, get, revoke,
// current, rename, and create (a Gatehouse extension).
#include <boost/json/object.hpp>

#include "api/common/json_body.hpp"
#include "api/common/listing.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"
#include "api/tokens/issue.hpp"

namespace gh::api {
namespace tokens {
namespace {
namespace json = boost::json;
using domain::Action;
using domain::Resource;

std::string render(const Ctx& ctx, const model::TokenEntry& t, const core::SecretString* value = nullptr) {
  return render_api_token(ctx.org.url(), t.token(), t.last_used.load(std::memory_order_relaxed),
                          ctx.deps.limits.api_token_idle, value);
}

bool can(const Ctx& ctx, Action a) { return ctx.principal.permissions.allows({Resource::apiTokens, a}); }

// "current" is the caller's own token; a token's owner may always see and revoke it.
Result<const model::TokenEntry*> target(const Ctx& ctx, Action a) {
  auto& id = ctx.params[0];
  auto* t = ctx.org.token(id == "current" ? ctx.principal.token_id : id);
  if (!t) return not_found(id + " (ApiToken)");
  if (t->user_id() != ctx.principal.user_id && !can(ctx, a)) return forbidden();
  return t;
}

Result<http::Response> list(Ctx& ctx) {
  if (!can(ctx, Action::read)) return forbidden();
  auto page = parse_page(ctx.query, 20, 200);
  if (!page) return page.error();
  std::vector<std::string> rendered;
  auto q = ctx.query.get("q").value_or("");
  auto out = collect_page(
      ctx.org.tokens(), *page,
      [&](const model::TokenEntry& t) { return q.empty() || t.name().find(q) != std::string_view::npos; },
      [&](const model::TokenEntry& t) -> const std::string& {
        rendered.reserve(page->limit);
        return rendered.emplace_back(render(ctx, t));
      });
  auto res = ok_json(json_array(out.items));
  set_links(res, ctx.org.url(), "/api/v1/api-tokens", ctx.query, out.next_after);
  return res;
}

Result<http::Response> get(Ctx& ctx) {
  auto t_r = target(ctx, Action::read);
  if (!t_r) return t_r.error();
  auto* t = *t_r;
  return ok_json(render(ctx, *t));
}

Result<http::Response> revoke(Ctx& ctx) {
  auto t_r = target(ctx, Action::manage);
  if (!t_r) return t_r.error();
  auto* t = *t_r;
  auto tok = t->token();
  tok.revoked = true;
  tok.last_updated = ctx.now();
  if (auto r = commit(ctx, {store::PutApiToken{tok}}); !r) return r.error();
  return no_content();
}

Result<http::Response> rename(Ctx& ctx) {
  auto t_r = target(ctx, Action::manage);
  if (!t_r) return t_r.error();
  auto* t = *t_r;
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  FieldReader r(*body);
  auto name = r.string("name", true, "name");
  if (!r.ok()) return validation_failed("name", r.causes());
  auto tok = t->token();
  tok.name = *name;
  tok.last_updated = ctx.now();
  tok.last_used = t->last_used.load();
  if (auto c = commit(ctx, {store::PutApiToken{tok}}); !c) return c.error();
  return ok_json(render(ctx, *ctx.org.token(tok.id)));
}

// POST {"name","userId"?}: for yourself when you hold an admin role, for anyone as SUPER_ADMIN;
// never with an OAuth access token (issue #2).
Result<http::Response> create(Ctx& ctx) {
  if (ctx.principal.type != CredentialType::ssws || ctx.principal.permissions.empty()) return forbidden();
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  FieldReader r(*body);
  auto name = r.string("name", true, "name");
  auto user_id = r.string("userId", false, "userId").value_or(ctx.principal.user_id);
  if (!r.ok()) return validation_failed("name", r.causes());
  if (user_id != ctx.principal.user_id && !ctx.principal.is_super_admin) return forbidden();
  auto* owner = ctx.org.user(core::UserId{user_id});
  if (!owner) return validation_failed("userId", {"userId: The user does not exist"});
  if (owner->user.status != domain::UserStatus::ACTIVE)
    return validation_failed("userId", {"userId: The user is not active"});
  auto issued = issue_api_token(ctx.deps.random, ctx.deps.pepper, user_id, *name, ctx.now());
  if (auto c = commit(ctx, {store::PutApiToken{issued.meta}}); !c) return c.error();
  return ok_json(render(ctx, *ctx.org.token(issued.meta.id), &issued.value), 201);
}
}  // namespace
}  // namespace tokens

void register_api_tokens(ApiRouter& r) {
  using M = http::Method;
  // Permissions are checked inside: owners may always read and revoke their own tokens.
  r.add(M::get, "/api/v1/api-tokens", {std::nullopt, tokens::list});
  r.add(M::post, "/api/v1/api-tokens", {std::nullopt, tokens::create});
  r.add(M::get, "/api/v1/api-tokens/{apiTokenId}", {std::nullopt, tokens::get});
  r.add(M::put, "/api/v1/api-tokens/{apiTokenId}", {std::nullopt, tokens::rename});
  r.add(M::delete_, "/api/v1/api-tokens/{apiTokenId}", {std::nullopt, tokens::revoke});
}

}  // namespace gh::api
