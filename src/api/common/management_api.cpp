#include "api/common/management_api.hpp"

#include <algorithm>
#include <mutex>

#include "api/common/audit.hpp"
#include "api/common/respond.hpp"
#include "core/address_key.hpp"
#include "model/commit.hpp"

namespace gh::api {

ApiRouter build_management_router() {
  ApiRouter r;
  register_users(r);
  register_groups(r);
  register_roles(r);
  register_api_tokens(r);
  register_orgs(r);
  register_apps(r);
  register_client_roles(r);
  register_authorization_servers(r);
  register_logs(r);
  register_integrations(r);
  return r;
}

Result<void> commit(Ctx& ctx, const store::ChangeSet& changes) {
  // The change and the System Log events describing it: one transaction (issue #4). The events
  // are described before the change is applied (describe_changes reads the model as it was).
  auto with_events = changes;
  for (auto& e : audit::describe_changes(ctx, changes)) with_events.push_back(std::move(e));
  if (auto r = model::commit_and_apply(ctx.deps.store, ctx.org, with_events, ctx.lock); !r)
    return commit_failed(r.error());
  return {};
}

http::Response error_response(const ApiError& e, const http::Request& req) {
  log_refusal(e, req.request_id, {});
  return render_error(e, req.request_id);
}

ManagementApi::ManagementApi(Deps& deps, oauth::AccessTokenVerifier& verifier, oauth::dpop::ResourceProofs& proofs)
    : deps_(deps),
      router_(build_management_router()),
      verifier_(verifier),
      proofs_(proofs),
      limiter_(deps.limits.per_minute),
      auth_failures_(deps.limits.auth_failures_per_address_per_minute) {}

namespace {
std::string_view family_name(Family f) {
  switch (f) {
    case Family::users: return "users";
    case Family::groups: return "groups";
    case Family::apps: return "apps";
    case Family::logs: return "logs";
    default: return "other";
  }
}

bool is_json_media_type(std::string_view ct) {
  auto semi = ct.find(';');
  auto type = ct.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return http::iequals(type, "application/json");
}
}  // namespace

// okta-compat.md §11.31: failed authentications (401: an unknown, malformed or revoked SSWS
// token, a Bearer or DPoP token that fails verification) count per source address, the socket's
// peer (no forwarding header is trusted: RFC 9700 §4.13). Past the limit a failing request gets
// 429 with Retry-After instead; the org's buckets are never charged, and a request with valid
// credentials never reaches this.
ApiError ManagementApi::throttle_failure(ApiError failure, const http::Request& req) {
  if (failure.status != 401 || !deps_.limits.rate_limits_enabled || req.remote_addr.empty()) return failure;
  auto now_ms = core::epoch_ms(deps_.clock.now());
  auto d = auth_failures_.take(core::address_key(req.remote_addr), now_ms);
  if (d.allowed) return failure;
  auto e = rate_limited(failure.cause);
  e.retry_after = std::max<std::int64_t>(1, d.reset_epoch_s - now_ms / 1000);
  return e;
}

http::Response ManagementApi::handle(http::Request& req, model::OrgModel& org, std::string_view path) {
  std::shared_lock lock(org.mutex(), std::defer_lock);
  std::optional<RateDecision> rate;  // set once the request was charged to a bucket
  auto res = [&]() -> Result<http::Response> {
    auto query = http::Params::parse(req.query);
    if (!query) return validation_failed("query", {"The query string is not well-formed."});
    if (query->count("access_token"))  // okta-compat.md §11.5: tokens only in Authorization
      return validation_failed("access_token", {"Access tokens are accepted only in the Authorization header."});
    auto match = router_.match(req.method, path);
    lock.lock();
    // §11.4: authentication (401) and authorization (403) before anything about the body (400).
    auto auth = authenticate(req, path, org, deps_, uses_, verifier_, proofs_);
    if (!auth) return throttle_failure(std::move(auth).error(), req);
    auto& principal = *auth;
    // Rate limits apply to authenticated calls, per org and endpoint family (§11.30, §1.12).
    auto family = family_of(path);
    auto now_ms = core::epoch_ms(deps_.clock.now());
    rate = deps_.limits.rate_limits_enabled ? limiter_.take(org.org().id, family, now_ms)
                                            : RateDecision{true, 0, 0, 0};
    if (!rate->allowed && violations_.should_record(org.org().id, family_name(family), now_ms))
      audit::record_rate_limit_violation(deps_, req, org, family_name(family), principal);
    if (!rate->allowed) return rate_limited();
    // okta-compat.md §1.12: a DPoP proof's jti is consumed only once the request got past the
    // rate limit (Okta's SDK retries a 429 with the same proof).
    if (principal.dpop_proof)
      if (auto used = proofs_.consume(*principal.dpop_proof); !used) return dpop_proof_refused(used.error());
    if (!match.handler) return match.path_known ? method_not_allowed() : not_found(std::string(path));
    if (auto& needs = match.handler->needs) {
      // okta-compat.md §3: scope first (403 insufficient_scope), then roles (403 E0000006).
      if (!principal.has_scope(*needs)) return insufficient_scope(org.url(), *needs, req.path, principal.dpop);
      if (!principal.permissions.allows(*needs)) return forbidden();
    }
    if (!req.body.empty() && !match.handler->raw_body && !is_json_media_type(req.header("Content-Type")))
      return unsupported_media_type();  // §11.6
    Ctx ctx{req, org, deps_, match.params, *query, std::move(principal), &lock};
    return match.handler->handler(ctx);
  }();
  // Every refusal of the management API is logged and rendered here, once.
  http::Response out;
  if (res) {
    out = std::move(*res);
  } else {
    auto e = std::move(res).error();
    log_refusal(e, req.request_id, org.org().id);
    out = render_error(e, req.request_id);
  }
  if (!rate || !deps_.limits.rate_limits_enabled) return out;
  out.set("X-Rate-Limit-Limit", std::to_string(rate->limit));
  out.set("X-Rate-Limit-Remaining", std::to_string(rate->remaining));
  out.set("X-Rate-Limit-Reset", std::to_string(rate->reset_epoch_s));
  return out;
}

}  // namespace gh::api
