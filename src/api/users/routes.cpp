// /api/v1/users (okta-compat.md §5 User, §6): list, create, get, update, replace, delete.
#include "api/common/json_body.hpp"
#include "api/common/listing.hpp"
#include "api/common/respond.hpp"
#include "api/common/search_params.hpp"
#include "api/users/users.hpp"
#include "core/ids.hpp"
#include "crypto/password.hpp"

namespace gh::api {
namespace users {
namespace json = boost::json;

const model::UserEntry* find_user(const Ctx& ctx, std::string_view id_or_login) {
  // `me` is the user behind an SSWS token (okta-compat.md §5 User). A client-credentials token
  // has no user: none is found, and callers answer as Okta does for a service app's token,
  // 404 E0000007 "Not found: Resource not found: me (User)".
  if (id_or_login == "me")
    return ctx.principal.user_id.empty() ? nullptr : ctx.org.user(core::UserId{ctx.principal.user_id});
  if (auto* u = ctx.org.user(core::UserId{id_or_login})) return u;
  return ctx.org.user_by_login(id_or_login);
}

std::optional<json::value> attribute(const domain::User& u, std::string_view attr) {
  auto time = [](domain::Millis t) -> std::optional<json::value> {
    if (t == 0) return std::nullopt;
    return json::value(iso(t));
  };
  if (attr == "id") return json::value(u.id);
  if (attr == "status") return json::value(to_string(u.status));
  if (attr == "created") return time(u.created);
  if (attr == "activated") return time(u.activated);
  if (attr == "statusChanged") return time(u.status_changed);
  if (attr == "lastUpdated") return time(u.last_updated);
  if (attr == "lastLogin") return time(u.last_login);
  if (attr == "passwordChanged") return time(u.password_changed);
  if (attr == "type.id") return json::value("otyDefaultUserType00");
  if (attr.starts_with("profile.")) return lookup_path(u.profile, attr.substr(8));
  return std::nullopt;
}

void revoke_tokens_of(const Ctx& ctx, std::string_view user_id, store::ChangeSet& cs) {
  for (auto* t : ctx.org.tokens_of(core::UserId{user_id})) {
    auto tok = t->token();
    tok.revoked = true;
    tok.last_updated = ctx.now();
    cs.push_back(store::PutApiToken{std::move(tok)});
  }
}

namespace {
Result<http::Response> list(Ctx& ctx) {
  bool has_q = ctx.query.get("q").has_value();
  auto page = parse_page(ctx.query, has_q ? 10 : 200, 200);  // MGMT-OAS listUsers
  if (!page) return page.error();
  auto crit = parse_criteria(ctx.query, {"filter", "search"});
  if (!crit) return crit.error();
  auto& criteria = *crit;
  auto q = ctx.query.get("q").value_or("");
  auto out = collect_page(
      ctx.org.users(), *page,
      [&](const model::UserEntry& e) {
        auto& u = e.user;
        // Okta lists DEPROVISIONED users only when a filter or search asks for them.
        if (criteria.empty() && u.status == domain::UserStatus::DEPROVISIONED) return false;
        if (!q.empty()) {
          bool hit = false;
          for (auto key : {"firstName", "lastName", "email", "login"})
            if (auto v = lookup_path(u.profile, key); v && v->is_string() && istarts_with(v->get_string(), q))
              hit = true;
          if (!hit) return false;
        }
        return criteria.matches([&](std::string_view a) { return attribute(u, a); });
      },
      [&](const model::UserEntry& e) -> const std::string& { return ctx.org.user_json(e); });
  auto res = ok_json(json_array(out.items));
  set_links(res, ctx.org.url(), "/api/v1/users", ctx.query, out.next_after);
  return res;
}

Result<http::Response> get(Ctx& ctx) {
  auto* u = find_user(ctx, ctx.params[0]);
  if (!u) return not_found(ctx.params[0] + " (User)");
  return ok_json(ctx.org.user_json(*u));
}

// Validates a complete profile: login, email, firstName, lastName required (Okta's default
// schema); login unique in the org (case-insensitive).
void validate_profile(const Ctx& ctx, const json::object& p, std::string_view self_id,
                      std::vector<std::string>& causes) {
  FieldReader r(p);
  auto login = r.string("login", true, "profile.login");
  auto email = r.string("email", true, "profile.email");
  r.string("firstName", true, "profile.firstName");
  r.string("lastName", true, "profile.lastName");
  if (email && email->find('@') == std::string::npos)
    r.causes().push_back("profile.email: Does not match required pattern");
  if (login) {
    if (auto* other = ctx.org.user_by_login(*login); other && other->user.id != self_id)
      r.causes().push_back("login: An object with this field already exists in the current organization");
  }
  for (auto& c : r.causes()) causes.push_back(c);
}

// credentials.password.value, when present: at least 8 characters (Gatehouse's password policy).
std::optional<std::string> read_password(const json::object& body, std::vector<std::string>& causes) {
  auto v = lookup_path(body, "credentials.password.value");
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string() || v->get_string().size() < 8) {
    causes.push_back("password: Password requirements were not met. Password requirements: at least 8 characters.");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

Result<http::Response> create(Ctx& ctx) {
  auto body_v = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body_v) return body_v.error();
  auto& body = *body_v;
  std::vector<std::string> causes;
  FieldReader r(body);
  auto* profile = r.object("profile", true, "profile");
  causes = r.causes();
  if (profile) validate_profile(ctx, *profile, "", causes);
  auto password = read_password(body, causes);
  std::vector<std::string> group_ids;
  if (auto* gids = body.if_contains("groupIds"); gids && !gids->is_null()) {
    if (!gids->is_array()) causes.push_back("groupIds: The field must be an array");
    else
      for (auto& g : gids->get_array()) {
        if (!g.is_string() || !ctx.org.group(g.get_string())) causes.push_back("groupIds: Invalid group id");
        else if (ctx.org.group(g.get_string())->group.type == domain::GroupType::OKTA_GROUP)
          group_ids.emplace_back(g.get_string());
      }
  }
  auto activate = ctx.query.get("activate").value_or("true");
  if (activate != "true" && activate != "false") causes.push_back("activate: The value must be true or false");
  if (!causes.empty()) return validation_failed("profile", causes);

  domain::User u;
  u.id = core::new_id(ctx.deps.random, core::id_prefix::user);
  u.created = u.last_updated = u.status_changed = ctx.now();
  u.profile = *profile;
  if (password) {
    u.password_hash = crypto::hash_password(*password);
    u.password_changed = u.created;
  }
  if (activate == "true") {
    u.status = password ? domain::UserStatus::ACTIVE : domain::UserStatus::PROVISIONED;
    u.activated = u.created;
  }
  store::ChangeSet cs{store::PutUser{u}};
  for (auto& g : group_ids) cs.push_back(store::AddMember{g, u.id});
  if (auto res = commit(ctx, cs); !res) return res.error();
  return ok_json(ctx.org.user_json(*ctx.org.user(core::UserId{u.id})));
}

// POST (partial: profile attributes merged) and PUT (profile replaced).
Result<http::Response> update(Ctx& ctx, bool partial) {
  auto* e = find_user(ctx, ctx.params[0]);
  if (!e) return not_found(ctx.params[0] + " (User)");
  auto body_v = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body_v) return body_v.error();
  auto& body = *body_v;
  FieldReader r(body);
  auto* profile = r.object("profile", !partial, "profile");
  std::vector<std::string> causes = r.causes();
  auto u = e->user;
  if (profile) {
    if (partial)
      for (auto& [k, v] : *profile) u.profile[k] = v;
    else
      u.profile = *profile;
  }
  validate_profile(ctx, u.profile, u.id, causes);
  auto password = read_password(body, causes);
  if (!causes.empty()) return validation_failed("profile", causes);
  u.last_updated = ctx.now();
  if (password) {
    u.password_hash = crypto::hash_password(*password);
    u.password_changed = u.last_updated;
  }
  if (auto res = commit(ctx, {store::PutUser{u}}); !res) return res.error();
  return ok_json(ctx.org.user_json(*ctx.org.user(core::UserId{u.id})));
}

// The first DELETE deactivates; the second (on DEPROVISIONED) deletes (okta-compat.md §5).
Result<http::Response> remove(Ctx& ctx) {
  auto* e = find_user(ctx, ctx.params[0]);
  if (!e) return not_found(ctx.params[0] + " (User)");
  store::ChangeSet cs;
  if (e->user.status == domain::UserStatus::DEPROVISIONED) {
    cs.push_back(store::DeleteUser{e->user.id});
  } else {
    auto u = e->user;
    u.status = domain::UserStatus::DEPROVISIONED;
    u.status_changed = u.last_updated = ctx.now();
    cs.push_back(store::PutUser{u});
    revoke_tokens_of(ctx, u.id, cs);
  }
  if (auto res = commit(ctx, cs); !res) return res.error();
  return no_content();
}
}  // namespace
}  // namespace users

void register_users(ApiRouter& r) {
  using domain::Action;
  using domain::Resource;
  using M = http::Method;
  const domain::Permission read{Resource::users, Action::read}, manage{Resource::users, Action::manage};
  r.add(M::get, "/api/v1/users", {read, users::list});
  r.add(M::post, "/api/v1/users", {manage, users::create});
  // GET /users/me needs no admin role: any authenticated user may read itself.
  r.add(M::get, "/api/v1/users/{id}", {std::nullopt, [read](Ctx& c) -> Result<http::Response> {
          if (c.params[0] != "me" && !c.principal.permissions.allows(read)) return forbidden();
          return users::get(c);
        }});
  r.add(M::post, "/api/v1/users/{id}", {manage, [](Ctx& c) { return users::update(c, true); }});
  r.add(M::put, "/api/v1/users/{id}", {manage, [](Ctx& c) { return users::update(c, false); }});
  r.add(M::delete_, "/api/v1/users/{id}", {manage, users::remove});
  users::register_lifecycle(r);
  users::register_user_groups(r);
}

}  // namespace gh::api
