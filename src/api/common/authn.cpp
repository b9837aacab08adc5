#include "api/common/authn.hpp"

#include <array>
#include <utility>

#include "api/common/audit.hpp"
#include "api/common/authorization.hpp"
#include "api/session/endpoint.hpp"
#include "crypto/credential.hpp"
#include "domain/documents.hpp"
#include "jose/jws.hpp"
#include "oauth/dpop/proof.hpp"
#include "store/errc.hpp"

namespace gh::api {
namespace {
constexpr domain::Millis kUseGranularityMs = 60'000;  // lastUsed precision: one minute

// Request data inside a quoted-string: never `"`, `\` or controls (RFC 9110 §5.6.4).
std::string quoted_safe(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

// RFC 6750 §3: the Bearer challenge Okta sends (okta-compat.md §3).
std::string bearer_challenge(std::string_view org_url, std::string_view params) {
  std::string org(org_url);
  return "Bearer authorization_uri=\"" + org + "/oauth2/v1/authorize\", realm=\"" + org + "\", " +
         std::string(params);
}

// Client-facing text per refusal; the precise reason is logged by the verifier, never sent.
std::string_view invalid_token_description(const boost::system::error_code& ec, std::string_view token,
                                           const model::OrgModel& org) {
  using oauth::TokenErrc;
  if (ec == TokenErrc::expired) return "The token has expired.";
  if (ec == TokenErrc::revoked) return "The access token has been revoked.";
  if (ec == TokenErrc::wrong_issuer || ec == TokenErrc::wrong_audience)
    return "The access token provided is not intended for Okta.";
  if (ec == TokenErrc::unknown_kid) {  // signed by a custom AS of this org?
    if (auto jws = jose::decode(token))
      if (auto kid = jose::find_kid(*jws); kid && *kid)
        if (auto* key = org.doc(domain::kind::signing_key, **kid); key && !key->parent.empty())
          return "The access token provided is not intended for Okta.";
  }
  return "The access token is invalid.";
}

ApiError bad_bearer(std::string_view org_url, std::string_view description, boost::system::error_code cause) {
  return invalid_token(bearer_challenge(
      org_url, "error=\"invalid_token\", error_description=\"" + std::string(description) + "\""), cause);
}

// "okta.<resource>.<action>" → Permission, for every resource and action (okta.groups.* also
// backs groupMembers: a scope may appear twice).
const std::vector<std::pair<std::string, domain::Permission>>& scope_table() {
  static const auto table = [] {
    std::vector<std::pair<std::string, domain::Permission>> t;
    for (int r = 0; r < static_cast<int>(domain::Resource::count_); ++r)
      for (auto a : {domain::Action::read, domain::Action::manage}) {
        domain::Permission p{static_cast<domain::Resource>(r), a};
        t.emplace_back(p.scope(), p);
      }
    return t;
  }();
  return table;
}

// DESIGN.md "Authorization model": a client's principal from a verified org AS token.
Principal client_principal(const oauth::AccessTokenClaims& c, const model::OrgModel& org,
                           const oauth::AccessTokenVerifier& verifier) {
  Principal p;
  p.type = CredentialType::bearer;
  p.client_id = c.cid;
  // Revoking a grant takes effect on already-issued tokens (issue #3); so does a scope an
  // integration's new published version dropped (issue 15).
  for (auto& s : c.scp)
    for (auto& [name, perm] : scope_table())
      if (name == s && verifier.may_use_scope(org, c.cid, s)) p.scopes.add(perm);
  // Issue 15: an API service integration instance has no admin role of its own; it may do
  // exactly what its usable scopes allow.
  if (oauth::AccessTokenVerifier::is_integration_instance(org, c.cid)) {
    p.permissions = p.scopes;
    return p;
  }
  domain::PermissionSet roles;
  for (auto* r : org.roles_of(domain::PrincipalType::CLIENT, c.cid)) {
    roles |= domain::permissions_of_role(r->type);
    p.is_super_admin = p.is_super_admin || r->type == "SUPER_ADMIN";
  }
  // DESIGN.md: allowed = scp ∩ permissions of the client's roles (manage implies read on both).
  for (auto& [name, perm] : scope_table())
    if (p.scopes.allows(perm) && roles.allows(perm)) p.permissions.add(perm);
  return p;
}

// okta-compat.md §3 table: a DPoP-bound token needs the DPoP scheme and a proof.
ApiError proof_required(std::string_view org_url, boost::system::error_code cause = {}) {
  auto e = bad_request(cause);
  e.www_authenticate = bearer_challenge(
      org_url, "error=\"invalid_request\", error_description=\"The resource request requires a DPoP proof.\"");
  return e;
}

Result<Principal> authenticate_bearer(std::string_view token, const model::OrgModel& org,
                                                      oauth::AccessTokenVerifier& verifier) {
  // okta-compat.md §3: only org AS tokens (as_id ""); "undefined" (§1.9) fails like any other.
  auto claims = verifier.verify(token, org, "");
  if (!claims) return bad_bearer(org.url(), invalid_token_description(claims.error(), token, org), claims.error());
  if ((*claims)->jkt) return proof_required(org.url());
  return client_principal(**claims, org, verifier);
}

// RFC 9449 §7.1: the DPoP scheme's challenge.
std::string dpop_challenge(std::string_view params) {
  return "DPoP algs=\"" + std::string(oauth::dpop::kSupportedAlgs) + "\", " + std::string(params);
}

ApiError bad_dpop_token(std::string_view description, boost::system::error_code cause = {}) {
  return invalid_token(dpop_challenge("error=\"invalid_token\", error_description=\"" + std::string(description) + "\""),
                       cause);
}

Result<Principal> authenticate_dpop(std::string_view token, const http::Request& req,
                                                    std::string_view path_in_org, const model::OrgModel& org,
                                                    oauth::AccessTokenVerifier& verifier,
                                                    const oauth::dpop::ResourceProofs& proofs) {
  auto claims = verifier.verify(token, org, "");  // okta-compat.md §3: org AS tokens only
  if (!claims) return bad_dpop_token(invalid_token_description(claims.error(), token, org), claims.error());
  auto& c = **claims;
  // §11.29 (OERR access_token_not_dpop_bound).
  if (!c.jkt) return bad_dpop_token("The access token is not DPoP bound.");
  // RFC 9449 §7.1: the proof is for this method and URL, carries ath, and is signed by cnf.jkt.
  auto pending = proofs.check(req, org.url() + std::string(path_in_org), token, *c.jkt, org.org().id);
  if (!pending) {
    if (pending.error() == oauth::dpop::Errc::missing_header) return proof_required(org.url(), pending.error());
    return dpop_proof_refused(pending.error());
  }
  auto p = client_principal(c, org, verifier);
  p.dpop = true;
  p.dpop_proof = std::move(*pending);
  return p;
}
// The admin console's session cookie (issue 17): the user's own permissions, exactly as an API
// token of theirs would carry; an unsafe method also needs the session's X-CSRF-Token
// (double submit bound to the session, OWASP CSRF cheat sheet) → 403 without it.
std::optional<Result<Principal>> authenticate_session(const http::Request& req, const model::OrgModel& org,
                                                      const Deps& deps) {
  if (!deps.sessions || req.header("Cookie").empty()) return std::nullopt;
  auto s = session::session_of(req, org, deps);
  if (!s) return std::nullopt;
  auto* user = org.user(core::UserId{s->user_id});
  if (!user || user->user.status != domain::UserStatus::ACTIVE)  // DESIGN.md: owner must be ACTIVE
    return Result<Principal>(invalid_token(auth_challenge(org.url())));
  Principal p;
  p.type = CredentialType::ssws;
  p.session = true;
  p.user_id = s->user_id;
  p.permissions = session::user_permissions(org, s->user_id, &p.is_super_admin);
  if (p.permissions.empty()) return Result<Principal>(invalid_token(auth_challenge(org.url())));
  const bool safe = req.method == http::Method::get || req.method == http::Method::head ||
                    req.method == http::Method::options;  // RFC 9110 §9.2.1
  if (!safe && !session::csrf_matches(*s, req.header("X-CSRF-Token"))) return Result<Principal>(forbidden());
  return Result<Principal>(std::move(p));
}
}  // namespace

std::string auth_challenge(std::string_view org_url) {
  std::string realm = "realm=\"" + std::string(org_url) + "\"";
  return "SSWS " + realm + ", Bearer " + realm + ", DPoP " + realm + ", algs=\"" + std::string(oauth::dpop::kSupportedAlgs) + "\"";
}

ApiError insufficient_scope(std::string_view org_url, domain::Permission needed, std::string_view resource,
                            bool dpop) {
  auto e = forbidden();  // §10: the E0000006 envelope alongside the challenge
  auto params = "scope=\"" + needed.scope() +
                "\", error=\"insufficient_scope\", error_description=\"The access token provided "
                "does not contain the required scopes.\", resource=\"" + quoted_safe(resource) + "\"";
  e.www_authenticate = dpop ? dpop_challenge(params) : bearer_challenge(org_url, params);
  return e;
}

ApiError dpop_proof_refused(const boost::system::error_code& ec) {
  if (ec == oauth::dpop::Errc::replay_cache_full) return rate_limited(ec);
  if (ec == store::Errc::unavailable) return internal_error(ec);  // refused, never accepted
  auto e = bad_request(ec);  // okta-compat.md §3 table: 400 + the DPoP challenge
  e.www_authenticate = dpop_challenge("error=\"invalid_dpop_proof\", error_description=\"" +
                                      std::string(oauth::dpop::description(ec)) + "\"");
  return e;
}

Result<Principal> authenticate(const http::Request& req, std::string_view path_in_org,
                                               const model::OrgModel& org, const Deps& deps,
                                               TokenUseTracker& uses, oauth::AccessTokenVerifier& verifier,
                                               const oauth::dpop::ResourceProofs& proofs) {
  auto header = parse_authorization(req.header("Authorization"));
  if (header.scheme == AuthScheme::none) {  // an Authorization header always wins over a cookie
    if (auto by_cookie = authenticate_session(req, org, deps)) return std::move(*by_cookie);
    return no_credentials(auth_challenge(org.url()));  // RFC 6750 §3.1
  }
  auto cred = header.credentials;
  if (header.scheme == AuthScheme::bearer) return authenticate_bearer(cred, org, verifier);
  if (header.scheme == AuthScheme::dpop) return authenticate_dpop(cred, req, path_in_org, org, verifier, proofs);
  if (header.scheme != AuthScheme::ssws) return invalid_token(auth_challenge(org.url()));  // §11.3
  // Format and checksum first: a mistyped or truncated token never reaches a lookup.
  if (!crypto::is_well_formed(cred, crypto::CredentialKind::api_token))
    return invalid_token(auth_challenge(org.url()));
  auto mac = deps.pepper.mac(cred);
  auto* entry = org.token_by_mac(mac);
  if (!entry || !crypto::equal_mac(entry->mac(), mac))
    return invalid_token(auth_challenge(org.url()));
  auto now = core::epoch_ms(deps.clock.now());
  auto last = entry->last_used.load(std::memory_order_relaxed);
  if (now - last > deps.limits.api_token_idle.count()) return invalid_token(auth_challenge(org.url()));
  auto* owner = org.owner_of(*entry);
  if (!owner || owner->user.status != domain::UserStatus::ACTIVE)  // DESIGN.md: owner must be ACTIVE
    return invalid_token(auth_challenge(org.url()));
  // Never used since it was issued: its first use is recorded (system.api_token.first_used, #4).
  // Within the first minute lastUsed moves by 1 ms in memory only (one-minute precision).
  const bool first_use = last == entry->created();
  const bool due = now - last >= kUseGranularityMs;
  if ((first_use || due) &&
      entry->last_used.compare_exchange_strong(last, due ? now : last + 1, std::memory_order_relaxed)) {
    if (due) uses.mark(org.id(), std::string(entry->id()), now);
    if (first_use) audit::record_first_use(deps, req, org, entry->token(), owner->user);
  }
  Principal p;
  p.type = CredentialType::ssws;
  p.user_id = owner->user.id;
  p.token_id = entry->id();
  for (auto* r : org.roles_of(domain::PrincipalType::USER, owner->user.id)) {
    p.permissions |= domain::permissions_of_role(r->type);
    p.is_super_admin = p.is_super_admin || r->type == "SUPER_ADMIN";
  }
  return p;
}

}  // namespace gh::api
