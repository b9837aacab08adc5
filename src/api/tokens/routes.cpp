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
const model::TokenEntry* target(const Ctx& ctx, Action a, http::Response& err) {
  auto& id = ctx.params[0];
  auto* t = ctx.org.token(id == "current" ? ctx.principal.token_id : id);
  if (!t) {
    err = fail(ctx, not_found(id + " (ApiToken)"));
    return nullptr;
  }
  if (t->user_id() != ctx.principal.user_id && !can(ctx, a)) {
    err = fail(ctx, forbidden());
    return nullptr;
  }
  return t;
}

http::Response list(Ctx& ctx) {
  if (!can(ctx, Action::read)) return fail(ctx, forbidden());
  auto page = parse_page(ctx.query, 20, 200);
  if (auto* e = std::get_if<ApiError>(&page)) return fail(ctx, *e);
  std::vector<std::string> rendered;
  auto q = ctx.query.get("q").value_or("");
  auto out = collect_page(
      ctx.org.tokens(), std::get<Page>(page),
      [&](const model::TokenEntry& t) { return q.empty() || t.name().find(q) != std::string_view::npos; },
      [&](const model::TokenEntry& t) -> const std::string& {
        rendered.reserve(std::get<Page>(page).limit);
        return rendered.emplace_back(render(ctx, t));
      });
  auto res = ok_json(json_array(out.items));
  set_links(res, ctx.org.url(), "/api/v1/api-tokens", ctx.query, out.next_after);
  return res;
}

http::Response get(Ctx& ctx) {
  http::Response err;
  auto* t = target(ctx, Action::read, err);
  return t ? ok_json(render(ctx, *t)) : err;
}

http::Response revoke(Ctx& ctx) {
  http::Response err;
  auto* t = target(ctx, Action::manage, err);
  if (!t) return err;
  auto tok = t->token();
  tok.revoked = true;
  tok.last_updated = ctx.now();
  if (auto r = commit(ctx, {store::PutApiToken{tok}}); !r) return commit_failed(ctx, r.error());
  return no_content();
}

http::Response rename(Ctx& ctx) {
  http::Response err;
  auto* t = target(ctx, Action::manage, err);
  if (!t) return err;
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(ctx, *e);
  FieldReader r(std::get<json::object>(body));
  auto name = r.string("name", true, "name");
  if (!r.ok()) return fail(ctx, validation_failed("name", r.causes()));
  auto tok = t->token();
  tok.name = *name;
  tok.last_updated = ctx.now();
  tok.last_used = t->last_used.load();
  if (auto c = commit(ctx, {store::PutApiToken{tok}}); !c) return commit_failed(ctx, c.error());
  return ok_json(render(ctx, *ctx.org.token(tok.id)));
}

// POST {"name","userId"?}: for yourself when you hold an admin role, for anyone as SUPER_ADMIN;
// never with an OAuth access token (issue #2).
http::Response create(Ctx& ctx) {
  if (ctx.principal.type != CredentialType::ssws || ctx.principal.permissions.empty()) return fail(ctx, forbidden());
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (auto* e = std::get_if<ApiError>(&body)) return fail(ctx, *e);
  FieldReader r(std::get<json::object>(body));
  auto name = r.string("name", true, "name");
  auto user_id = r.string("userId", false, "userId").value_or(ctx.principal.user_id);
  if (!r.ok()) return fail(ctx, validation_failed("name", r.causes()));
  if (user_id != ctx.principal.user_id && !ctx.principal.is_super_admin) return fail(ctx, forbidden());
  auto* owner = ctx.org.user(core::UserId{user_id});
  if (!owner) return fail(ctx, validation_failed("userId", {"userId: The user does not exist"}));
  if (owner->user.status != domain::UserStatus::ACTIVE)
    return fail(ctx, validation_failed("userId", {"userId: The user is not active"}));
  auto issued = issue_api_token(ctx.deps.random, ctx.deps.pepper, user_id, *name, ctx.now());
  if (auto c = commit(ctx, {store::PutApiToken{issued.meta}}); !c) return commit_failed(ctx, c.error());
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
