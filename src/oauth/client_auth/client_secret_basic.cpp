// client_secret_basic: RFC 6749 §2.3.1, credentials in the Authorization header.
#include "core/base64.hpp"
#include "http/url.hpp"
#include "oauth/client_auth/methods.hpp"

namespace gh::oauth::detail {

Result<SecretCredentials> parse_basic_credentials(std::string_view b64) {
  auto raw = core::base64_decode(b64);
  if (!raw) return invalid_client("The Basic client credentials are malformed.", raw.error());
  auto colon = raw->find(':');
  if (colon == std::string::npos) return invalid_client("The Basic client credentials are malformed.");
  // RFC 6749 §2.3.1: id and secret are each encoded with application/x-www-form-urlencoded
  // (Appendix B) before Base64 (okta-compat.md §9).
  auto id = http::percent_decode(std::string_view(*raw).substr(0, colon), true);
  auto secret = http::percent_decode(std::string_view(*raw).substr(colon + 1), true);
  core::SecretString wipe_raw{std::move(*raw)};
  if (!id || !secret || id->empty())
    return invalid_client("The Basic client credentials are malformed.");
  return SecretCredentials{core::ClientId{std::move(*id)}, core::SecretString{std::move(*secret)}};
}

Result<AuthenticatedClient> authenticate_basic(Env& env, const ClientAuthInput& in,
                                               const model::OrgModel& org, std::string_view b64) {
  auto creds = parse_basic_credentials(b64);
  if (!creds) return creds.error();
  // A client_id in the body must name the same client (RFC 6749 §3.2.1).
  if (auto id = in.form.get("client_id"); id && *id != creds->client_id.view())
    return invalid_client(kClientAuthFailed);
  auto app = find_client(org, creds->client_id, "client_secret_basic");
  if (!app) return app.error();
  if (!secret_matches(env, org, creds->client_id.view(), creds->secret.reveal()))
    return invalid_client(kClientAuthFailed);
  return authenticated(**app, std::move(creds->client_id).str(), "client_secret_basic");
}

}  // namespace gh::oauth::detail
