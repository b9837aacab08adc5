#include "oauth/endpoints.hpp"

#include <mutex>
#include <shared_mutex>
#include <vector>

#include "http/url.hpp"
#include "oauth/auth_server.hpp"
#include "oauth/discovery/discovery.hpp"
#include "oauth/form.hpp"
#include "oauth/jwks/jwks_endpoint.hpp"

namespace gh::oauth {
namespace {

enum class Target { none, token, keys, introspect, revoke, discovery };

struct Route {
  Target target = Target::none;
  std::string as_id;  // "" = org AS
};

std::vector<std::string_view> segments(std::string_view p) {
  std::vector<std::string_view> out;
  while (!p.empty()) {
    auto slash = p.find('/');
    if (slash != 0) out.push_back(p.substr(0, slash));
    if (slash == std::string_view::npos) break;
    p.remove_prefix(slash + 1);
  }
  return out;
}

Target endpoint_target(std::string_view name) {
  if (name == "token") return Target::token;
  if (name == "keys") return Target::keys;
  if (name == "introspect") return Target::introspect;
  if (name == "revoke") return Target::revoke;
  return Target::none;
}

bool is_metadata(std::string_view name) {
  return name == "openid-configuration" || name == "oauth-authorization-server";
}

Route route(std::string_view path) {
  auto s = segments(path);
  auto as = [](std::string_view seg) {
    auto d = http::percent_decode(seg, false);
    return d ? *d : std::string();
  };
  if (s.size() == 3 && s[0] == "oauth2" && s[1] == "v1") return {endpoint_target(s[2]), ""};
  if (s.size() == 4 && s[0] == "oauth2" && s[2] == "v1") {
    auto id = as(s[1]);
    return {id.empty() ? Target::none : endpoint_target(s[3]), id};
  }
  if (s.size() == 2 && s[0] == ".well-known" && is_metadata(s[1])) return {Target::discovery, ""};
  if (s.size() == 4 && s[0] == "oauth2" && s[2] == ".well-known" && is_metadata(s[3])) {
    auto id = as(s[1]);
    return {id.empty() ? Target::none : Target::discovery, id};
  }
  // RFC 8414 §3.1: the well-known segment inserted before the issuer's path.
  if (s.size() == 4 && s[0] == ".well-known" && s[1] == "oauth-authorization-server" && s[2] == "oauth2") {
    auto id = as(s[3]);
    return {id.empty() ? Target::none : Target::discovery, id};
  }
  return {};
}

Error method_not_allowed(std::string_view allow) {
  auto e = invalid_request("The HTTP method is not allowed for this endpoint.");
  e.status = 405;
  e.allow = std::string(allow);
  return e;
}

}  // namespace

namespace {
std::string dpop_nonce_key(const crypto::Pepper& pepper) {
  auto k = pepper.mac("gatehouse/dpop-nonce-key/v1");
  return std::string(reinterpret_cast<const char*>(k.data()), k.size());
}
}  // namespace

Endpoints::Endpoints(Env& env, const SharedParts& parts, const Limits& limits)
    : env_(env),
      auth_(env, parts.assertion_jtis, limits),
      dpop_(dpop_nonce_key(env.pepper), env.clock, parts.dpop_jtis),
      verifier_(parts.verifier),
      token_(env, auth_, dpop_, limits),
      introspection_(auth_, verifier_, env.clock, limits),
      revocation_(env, auth_, verifier_) {}

bool Endpoints::owns(std::string_view path) {
  return path.starts_with("/oauth2/") || path.starts_with("/.well-known/");
}

bool Endpoints::is_blocking(http::Method method, std::string_view path) {
  return method == http::Method::post && path.ends_with("/v1/revoke") &&
         path.find("/oauth2/") != std::string_view::npos;
}

http::Response Endpoints::handle(const http::Request& req, model::OrgModel& org, std::string_view path) {
  auto res = dispatch(req, org, path);
  if (res) return std::move(*res);
  // Every refusal of the OAuth endpoints is logged and rendered here, once. An answer that waits
  // for outbound I/O is not final: the server asks again once the I/O is done.
  auto e = std::move(res).error();
  if (!e.needs_outbound) log_refusal(e, req.request_id, org.org().id);
  return render(e);
}

Result<http::Response> Endpoints::dispatch(const http::Request& req, model::OrgModel& org, std::string_view path) {
  auto r = route(path);
  if (r.target == Target::none) return not_found_error();
  bool is_get = req.method == http::Method::get || req.method == http::Method::head;
  bool wants_get = r.target == Target::keys || r.target == Target::discovery;
  if (wants_get && !is_get) return method_not_allowed("GET, HEAD");
  if (!wants_get && req.method != http::Method::post) return method_not_allowed("POST");

  if (r.target == Target::introspect || r.target == Target::revoke) {
    {
      std::shared_lock lk(org.mutex());
      if (auto as = find_auth_server(org, r.as_id); !as) return as.error();
    }
    // These take the org lock themselves (revocation writes).
    return r.target == Target::introspect ? introspection_.handle(req, org, r.as_id)
                                          : revocation_.handle(req, org, r.as_id);
  }
  std::shared_lock lk(org.mutex());
  auto as = find_auth_server(org, r.as_id);
  if (!as) return as.error();
  switch (r.target) {
    case Target::token: return token_.handle(req, org, *as);
    case Target::keys: return handle_jwks(env_.keyring, org, *as);
    case Target::discovery: return handle_discovery(org, *as);
    default: return not_found_error();
  }
}

void Endpoints::prepare_outbound(const http::Request& req, model::OrgModel& org, std::string_view path) {
  auto r = route(path);
  bool authenticates = r.target == Target::token || r.target == Target::introspect || r.target == Target::revoke;
  if (!authenticates || req.method != http::Method::post) return;
  auto form = parse_form_body(req);
  if (!form) return;  // handle() answers the request's own error
  auth_.prepare_outbound(*form, org);
}

}  // namespace gh::oauth
