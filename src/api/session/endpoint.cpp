#include "api/session/endpoint.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <mutex>

#include <spdlog/spdlog.h>

#include "api/common/audit.hpp"
#include "api/common/json_body.hpp"
#include "api/common/respond.hpp"
#include "crypto/mac.hpp"
#include "crypto/password.hpp"
#include "model/commit.hpp"

namespace gh::api::session {
namespace json = boost::json;

namespace {
constexpr std::size_t kMaxLogin = 256, kMaxPassword = 1024;

// Okta's authn refusal (E0000004), the same for an unknown login, a wrong password, an inactive
// user and a user without an admin role: the answer never says whether the login exists.
ApiError sign_in_failed() {
  ApiError e;
  e.status = 401;
  e.code = "E0000004";
  e.summary = "Authentication failed";
  return e;
}

// A hash to verify against when the login is unknown, so that both cost one argon2id verify.
const std::string& dummy_hash() {
  static const std::string h = crypto::hash_password("gatehouse-console-dummy-password");
  return h;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_json_media_type(std::string_view ct) {
  auto type = ct.substr(0, ct.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return http::iequals(type, "application/json");
}

http::Response no_store(http::Response r) {
  r.set("Cache-Control", "no-store");
  return r;
}

// user.session.start / user.session.end (Okta's event types); never the password.
void record(const Deps& deps, const http::Request& req, const model::OrgModel& org, std::string_view type,
            std::string message, domain::LogActor actor, std::string_view outcome, std::string reason) {
  if (!deps.events) return;
  auto e = audit::base_event(deps, req, type, std::move(message));
  e.actor = std::move(actor);
  e.outcome_result = std::string(outcome);
  e.outcome_reason = std::move(reason);
  if (outcome != domain::outcome::success) e.severity = domain::severity::warn;
  e.credential_type = "PASSWORD";
  e.target = {{org.org().id, "Org", org.org().name, org.org().name, {}}};
  deps.events->push(org.org().id, e);
}
}  // namespace

bool is_https(const Deps& deps) { return deps.base_url.starts_with("https://"); }

domain::PermissionSet user_permissions(const model::OrgModel& org, std::string_view user_id, bool* super_admin) {
  domain::PermissionSet p;
  for (auto* r : org.roles_of(domain::PrincipalType::USER, user_id)) {
    p |= domain::permissions_of_role(r->type);
    if (super_admin && r->type == "SUPER_ADMIN") *super_admin = true;
  }
  return p;
}

std::optional<Session> session_of(const http::Request& req, const model::OrgModel& org, const Deps& deps) {
  // The caller holds org.mutex() shared: the session is a document of the org's model.
  if (!deps.sessions) return std::nullopt;
  auto id = cookie_value(req.header("Cookie"), cookie_name(is_https(deps), org.org().slug));
  if (id.empty()) return std::nullopt;
  return deps.sessions->touch(org, id, req.has_header(kBackgroundHeader));
}

Endpoint::Endpoint(Deps& deps, SessionStore& sessions)
    : deps_(deps),
      sessions_(sessions),
      per_account_(sessions.options().failures_per_account, sessions.options().failure_period),
      per_address_(sessions.options().failures_per_address, sessions.options().failure_period) {}

http::Response Endpoint::handle(http::Request& req, model::OrgModel& org) {
  Result<http::Response> res = method_not_allowed();
  switch (req.method) {
    case http::Method::post: res = sign_in(req, org); break;
    case http::Method::get:
    case http::Method::head: res = who_am_i(req, org); break;
    case http::Method::delete_: res = sign_out(req, org); break;
    default: break;
  }
  if (res) return no_store(std::move(*res));
  log_refusal(res.error(), req.request_id, org.org().id);
  return no_store(render_error(res.error(), req.request_id));
}

Result<http::Response> Endpoint::sign_in(http::Request& req, model::OrgModel& org) {
  // JSON only: a cross-site HTML form cannot send it without a CORS preflight, so no other
  // site can sign a browser in to an account of its choosing (login CSRF).
  if (!is_json_media_type(req.header("Content-Type"))) return unsupported_media_type();
  auto body = parse_object_body(req.body, deps_.limits.max_json_depth);
  if (!body) return body.error();
  FieldReader r(*body);
  auto login = r.string("login", true, "login");
  auto password = r.string("password", true, "password");
  if (!r.ok()) return validation_failed("login", r.causes());
  if (login->size() > kMaxLogin || password->size() > kMaxPassword)  // bounds the argon2id input
    return validation_failed("login", {"login, password: Too long"});
  core::SecretString secret(std::move(*password));
  auto now = core::epoch_ms(deps_.clock.now());
  const auto& org_id = org.org().id;
  auto account_key = org_id + "/" + lower(*login);
  auto address_key = org_id + "/" + req.remote_addr;
  domain::LogActor actor{"unknown", "User", *login, *login};
  // Throttled: refused before the password is checked (no guess is evaluated past the limit).
  if (!per_account_.peek(account_key, now).allowed || !per_address_.peek(address_key, now).allowed) {
    record(deps_, req, org, "user.session.start", "User login to Okta", actor, domain::outcome::failure,
           "RATE_LIMIT");
    return rate_limited();
  }
  // What the check needs, copied under the org's lock; argon2id runs without it.
  std::string user_id, hash;
  bool active = false, admin = false;
  domain::User user;
  {
    std::shared_lock lk(org.mutex());
    if (auto* u = org.user_by_login(*login)) {
      user = u->user;
      user_id = u->user.id;
      hash = u->user.password_hash;
      active = u->user.status == domain::UserStatus::ACTIVE;
      admin = !user_permissions(org, user_id, nullptr).empty();
      actor = domain::user_actor(u->user);
    }
  }
  bool verified = hash.empty() ? (crypto::verify_password(dummy_hash(), secret.reveal()), false)
                               : crypto::verify_password(hash, secret.reveal());
  if (!verified || !active || !admin) {
    per_account_.take(account_key, now);
    per_address_.take(address_key, now);
    std::string reason = !verified ? "INVALID_CREDENTIALS" : !active ? "USER_NOT_ACTIVE" : "NOT_AN_ADMIN";
    record(deps_, req, org, "user.session.start", "User login to Okta", actor, domain::outcome::failure,
           std::move(reason));
    return sign_in_failed();
  }
  // A new id at each sign-in (no session fixation); the browser's previous session, if any, ends.
  // The session is a record of the org (durable, seen by every node): it exists once committed,
  // in one transaction with the user's lastLogin (Okta's User.lastLogin). On the writer lane:
  // the user copied above is still the model's.
  auto started = sessions_.start(org_id, user_id);
  user.last_login = now;
  store::ChangeSet changes;
  auto previous = cookie_value(req.header("Cookie"), cookie_name(is_https(deps_), org.org().slug));
  std::string previous_key;
  if (!previous.empty() && previous.size() <= 128) {
    previous_key = sessions_.key_of(previous);
    changes.push_back(sessions_.end(previous));
  }
  {
    std::shared_lock lk(org.mutex());
    for (auto& c : sessions_.make_room(org, user_id, previous_key)) changes.push_back(std::move(c));
  }
  changes.push_back(std::move(started.record));
  changes.push_back(store::PutUser{std::move(user)});
  if (auto r = model::commit_and_apply(deps_.store, org, changes); !r) {
    spdlog::warn("console sign-in: session not recorded org={} user={}", org_id, user_id);
    return commit_failed(r.error());
  }
  record(deps_, req, org, "user.session.start", "User login to Okta", actor, domain::outcome::success, "");
  auto out = ok_json(json::serialize(json::object{{"csrfToken", started.session.csrf}}));
  out.set("Set-Cookie", set_cookie(is_https(deps_), org.org().slug, started.id.reveal(), sessions_.options().absolute));
  return out;
}

Result<http::Response> Endpoint::who_am_i(const http::Request& req, model::OrgModel& org) {
  std::shared_lock lk(org.mutex());
  auto s = session_of(req, org, deps_);
  const model::UserEntry* u = s ? org.user(core::UserId{s->user_id}) : nullptr;
  bool super_admin = false;
  auto perms = u ? user_permissions(org, u->user.id, &super_admin) : domain::PermissionSet{};
  if (!u || u->user.status != domain::UserStatus::ACTIVE || perms.empty())
    return no_credentials("");  // 401: the console shows its sign-in page
  json::array roles, permissions;
  for (auto* r : org.roles_of(domain::PrincipalType::USER, u->user.id)) roles.emplace_back(r->type);
  for (int i = 0; i < static_cast<int>(domain::Resource::count_); ++i)
    for (auto a : {domain::Action::read, domain::Action::manage}) {
      domain::Permission p{static_cast<domain::Resource>(i), a};
      if (perms.allows(p))
        permissions.emplace_back(std::string(domain::to_string(p.resource)) +
                                 (a == domain::Action::read ? ".read" : ".manage"));
    }
  json::object user{{"id", u->user.id},
                    {"login", u->user.login()},
                    {"firstName", u->user.profile.contains("firstName") ? u->user.profile.at("firstName") : nullptr},
                    {"lastName", u->user.profile.contains("lastName") ? u->user.profile.at("lastName") : nullptr}};
  auto expires = std::min(s->last_seen + sessions_.options().idle.count(), s->created + sessions_.options().absolute.count());
  return ok_json(json::serialize(json::object{{"user", std::move(user)},
                                              {"roles", std::move(roles)},
                                              {"permissions", std::move(permissions)},
                                              {"superAdmin", super_admin},
                                              // the server's operator (issue 15): a SUPER_ADMIN of the first org
                                              {"operator", super_admin && org.org().slug.empty()},
                                              {"csrfToken", s->csrf},
                                              {"orgUrl", org.url()},
                                              {"orgName", org.org().name},
                                              {"expiresAt", iso(expires)}}));
}

Result<http::Response> Endpoint::sign_out(const http::Request& req, model::OrgModel& org) {
  auto https = is_https(deps_);
  auto id = cookie_value(req.header("Cookie"), cookie_name(https, org.org().slug));
  std::optional<Session> s;
  domain::LogActor actor;
  {
    std::shared_lock lk(org.mutex());
    s = sessions_.touch(org, id);
    if (!s) return no_credentials("");
    // An unsafe method authenticated by the cookie: the CSRF token must come with it.
    if (!csrf_matches(*s, req.header("X-CSRF-Token"))) return forbidden();
    actor = domain::LogActor{s->user_id, "User", "", ""};
    if (auto* u = org.user(core::UserId{s->user_id})) actor = domain::user_actor(u->user);
  }
  // Durable: once committed, every node refuses the cookie (the change feed carries the deletion).
  if (auto r = model::commit_and_apply(deps_.store, org, {sessions_.end(id)}); !r) return commit_failed(r.error());
  record(deps_, req, org, "user.session.end", "User logout from Okta", actor, domain::outcome::success, "");
  auto out = no_content();
  out.set("Set-Cookie", clear_cookie(https, org.org().slug));
  return out;
}

}  // namespace gh::api::session
