#include "api/common/authn.hpp"

#include "crypto/credential.hpp"

namespace gh::api {
namespace {
constexpr domain::Millis kUseGranularityMs = 60'000;  // lastUsed precision: one minute

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string auth_challenge(std::string_view org_url) {
  std::string realm = "realm=\"" + std::string(org_url) + "\"";
  return "SSWS " + realm + ", Bearer " + realm + ", DPoP " + realm +
         " algs=\"RS256 RS384 RS512 ES256 ES384 ES512\"";
}

std::variant<Principal, ApiError> authenticate(const http::Request& req, const model::OrgModel& org,
                                               const Deps& deps, TokenUseTracker& uses) {
  auto header = trim(req.header("Authorization"));
  if (header.empty()) return no_credentials(auth_challenge(org.url()));  // RFC 6750 §3.1
  auto sp = header.find(' ');
  auto scheme = header.substr(0, sp);
  auto cred = sp == std::string_view::npos ? std::string_view{} : trim(header.substr(sp + 1));
  if (http::iequals(scheme, "Bearer") || http::iequals(scheme, "DPoP")) {
    // Access tokens from the org authorization server arrive with issue #3; until then none is valid.
    return invalid_token("Bearer realm=\"" + org.url() + "\", error=\"invalid_token\", "
                         "error_description=\"The access token is invalid.\"");
  }
  if (!http::iequals(scheme, "SSWS")) return invalid_token(auth_challenge(org.url()));  // §11.3
  // Format and checksum first: a mistyped or truncated token never reaches a lookup.
  if (!crypto::is_well_formed(cred, crypto::CredentialKind::api_token))
    return invalid_token(auth_challenge(org.url()));
  auto mac = deps.pepper.mac(cred);
  auto* entry = org.token_by_mac(mac);
  if (!entry || !crypto::equal_mac(entry->token.mac, mac))
    return invalid_token(auth_challenge(org.url()));
  auto now = core::epoch_ms(deps.clock.now());
  auto last = entry->last_used.load(std::memory_order_relaxed);
  if (now - last > deps.limits.api_token_idle.count()) return invalid_token(auth_challenge(org.url()));
  auto* owner = org.user(entry->token.user_id);
  if (!owner || owner->user.status != domain::UserStatus::ACTIVE)  // DESIGN.md: owner must be ACTIVE
    return invalid_token(auth_challenge(org.url()));
  if (now - last >= kUseGranularityMs &&
      entry->last_used.compare_exchange_strong(last, now, std::memory_order_relaxed))
    uses.mark(org.org().id, entry->token.id, now);
  Principal p;
  p.type = CredentialType::ssws;
  p.user_id = owner->user.id;
  p.token_id = entry->token.id;
  for (auto* r : org.roles_of(domain::PrincipalType::USER, owner->user.id)) {
    p.permissions |= domain::permissions_of_role(r->type);
    p.is_super_admin = p.is_super_admin || r->type == "SUPER_ADMIN";
  }
  return p;
}

}  // namespace gh::api
