#include "server/gateway.hpp"

#include <algorithm>

#include "api/common/api_error.hpp"
#include "api/integrations/logo.hpp"

namespace gh::server {
namespace {
std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return "";
  auto p = url.substr(slash);
  while (!p.empty() && p.back() == '/') p.pop_back();
  return p;
}
}  // namespace

Gateway::Gateway(api::Deps& deps, const config::Limits& limits, api::ManagementApi& management,
                 oauth::Endpoints& oauth)
    : deps_(deps), limits_(limits), base_path_(path_of(deps.base_url)), management_(management), oauth_(oauth) {}

std::size_t Gateway::body_limit(std::string_view path) const {
  // A logo upload carries an image of up to 1 MiB in multipart framing (issue 15).
  if (path.ends_with("/integrations/api/v1/submissions/logo"))
    return std::max<std::size_t>(limits_.api_body_bytes, api::integrations::kLogoBodyBytes);
  return path.find("/oauth2/") != std::string_view::npos ? limits_.oauth_body_bytes : limits_.api_body_bytes;
}

bool Gateway::is_blocking(const http::Request& req) const {
  // OAuth: the token endpoint, JWKS, discovery and introspection read the model inline;
  // revocation writes (oauth::Endpoints::is_blocking).
  if (req.path.find("/oauth2/") != std::string::npos && req.path.find("/oauth2/v1/clients/") == std::string::npos)
    return oauth::Endpoints::is_blocking(req.method, req.path);
  // The System Log is read from the store, not from memory (issue #4).
  if ((req.method == http::Method::get || req.method == http::Method::head) && req.path.ends_with("/api/v1/logs"))
    return true;
  // Reads are served from memory inline; writes go to the writer thread (DESIGN.md).
  return req.method != http::Method::get && req.method != http::Method::head &&
         req.method != http::Method::options;
}

bool Gateway::waits_on_network(const http::Request& req) const {
  if (!shared_single_use_) return false;  // SQLite: single use is decided in memory, inline
  // RFC 9449 §11.1 (a DPoP proof, at the token endpoint or at /api/v1), RFC 7523 §3 item 7 (a
  // client assertion at an OAuth endpoint): the jti is claimed in PostgreSQL.
  if (req.has_header("DPoP")) return true;
  return req.path.find("/oauth2/") != std::string::npos && req.body.find("client_assertion") != std::string_view::npos;
}

http::Response Gateway::handle(http::Request& req) {
  if (!metrics_) return dispatch(req);
  auto started = std::chrono::steady_clock::now();
  auto route = route_of(req.path);
  http::Response res;
  if (route == Route::metrics) {
    auto d = check_access(metrics_access_, req);
    res = d == AccessDecision::not_found ? dispatch(req) : metrics_response(*metrics_, d);
  } else {
    res = dispatch(req);
  }
  if (res.needs_outbound) return res;  // counted once, when handle() answers after the fetch
  metrics_->record_request(route, res.status, std::chrono::steady_clock::now() - started);
  if (route == Route::oauth_token && req.method == http::Method::post)
    metrics_->record_token(grant_of(req.body), res.status, res.body);
  return res;
}

http::Response Gateway::dispatch(http::Request& req) {
  std::string_view path = req.path;
  if (path == "/health/live") return http::Response::json(200, R"({"status":"UP"})");
  if (path == "/health/ready")
    return ready_ ? http::Response::json(200, R"({"status":"UP"})")
                  : http::Response::json(503, R"({"status":"DOWN"})");
  // RFC 8414 §3.1: the metadata of an issuer with a path (a later org BASE/o/{slug}, a custom
  // server …/oauth2/{id}, a base_url with a path) is at the host's
  // /.well-known/oauth-authorization-server followed by that path. Read as the issuer's own
  // …/.well-known/oauth-authorization-server, which oauth::Endpoints answers.
  constexpr std::string_view kInserted = "/.well-known/oauth-authorization-server";
  std::string appended;
  if (path.size() > kInserted.size() + 1 && path.starts_with(kInserted) && path[kInserted.size()] == '/') {
    appended = std::string(path.substr(kInserted.size())) + std::string(kInserted);
    path = appended;
  }
  auto target = resolve(path);
  path = target.path;
  auto not_found = [&] { return api::error_response(api::not_found(std::string(path)), req); };
  if (!target.org) return not_found();
  auto* org = target.org;
  if (path == "/api/v1" || path.starts_with("/api/v1/") || path.starts_with("/oauth2/v1/clients/") ||
      path.starts_with("/integrations/api/v1/"))  // client roles, OIN submissions: management API
    return management_.handle(req, *org, path);  // (okta-compat.md §6; issue 15)
  if (path.starts_with(api::integrations::kLogoPath)) {  // public integration logos (issue 15)
    if (req.method != http::Method::get && req.method != http::Method::head)
      return api::error_response(api::method_not_allowed(), req);
    return api::integrations::serve_logo(req, *org, path.substr(api::integrations::kLogoPath.size()));
  }
  if (oauth::Endpoints::owns(path)) return oauth_.handle(req, *org, path);
  if (console_session_ && (path == "/admin" || path.starts_with("/admin/"))) return console(req, *org, path);
  return not_found();
}

// ORG/admin/ (issue 17): the session endpoint, then the single-page app's files; every answer
// with the console's security headers.
http::Response Gateway::console(http::Request& req, model::OrgModel& org, std::string_view path) {
  http::Response r;
  if (path == api::session::kPath) {
    r = console_session_->handle(req, org);
  } else if (path.starts_with("/admin/api/")) {
    r = api::error_response(api::not_found(std::string(path)), req);
  } else {
    static const console::StaticSite kNone;
    auto rel = path.size() > 7 ? path.substr(7) : std::string_view{};  // after "/admin/"
    auto base = std::string(req.path.substr(0, req.path.size() - path.size())) + "/admin/";
    return (console_site_ ? *console_site_ : kNone).serve(req, rel, base);
  }
  console::add_security_headers(r);
  return r;
}

Gateway::Target Gateway::resolve(std::string_view path) const {
  if (!base_path_.empty()) {
    if (!path.starts_with(base_path_)) return {nullptr, path};
    path.remove_prefix(base_path_.size());
  }
  std::string_view slug;
  if (path.starts_with("/o/")) {  // later orgs: base_url/o/{slug}
    auto rest = path.substr(3);
    auto slash = rest.find('/');
    slug = rest.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{"/"} : rest.substr(slash);
    if (slug.empty()) return {nullptr, path};
  }
  return {deps_.directory.by_slug(slug), path};
}

void Gateway::prepare_outbound(http::Request& req) {
  auto target = resolve(req.path);
  if (!target.org || !oauth::Endpoints::owns(target.path) || target.path.starts_with("/oauth2/v1/clients/")) return;
  oauth_.prepare_outbound(req, *target.org, target.path);
}

http::Response Gateway::transport_error(int status, std::string_view request_id) const {
  api::ApiError e;
  switch (status) {
    case 413: e = api::payload_too_large(); break;
    case 431: e = api::headers_too_large(); break;
    case 400: e = api::bad_request(); break;
    default: e = api::internal_error(); e.status = status; break;
  }
  api::log_refusal(e, request_id, {});
  if (metrics_) metrics_->record_request(Route::transport, e.status, {});
  auto r = api::render_error(e, request_id);
  r.close = true;
  return r;
}

}  // namespace gh::server
