#pragma once
// The client authentication methods behind ClientAuthenticator (one file each). Internal.
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/secret_string.hpp"
#include "oauth/client_auth/client_auth.hpp"

namespace gh::oauth::detail {

// Text shared by the methods; client-safe, no request values (okta-compat.md §11.21).
inline constexpr const char* kClientAuthFailed =
    "Client authentication failed. Either the client or the client credentials are invalid.";

struct SecretCredentials {
  core::ClientId client_id;
  core::SecretString secret;
};

// RFC 6749 §2.3.1: `b64` (after "Basic ") is base64(form-urlencoded id ":" form-urlencoded secret).
// Errors: 401 invalid_client (ClientAuthenticator adds the Basic challenge).
Result<SecretCredentials> parse_basic_credentials(std::string_view b64);

// The app `client_id` if it exists, is ACTIVE and registered `method` as its
// token_endpoint_auth_method; otherwise 401 invalid_client.
// The record is parsed with the document (OrgModel::client): no JSON is read here.
Result<const model::ParsedDoc*> find_client(const model::OrgModel& org, const core::ClientId& client_id,
                                            std::string_view method);

// The client `app` (from find_client) authenticated by `method`.
inline AuthenticatedClient authenticated(const model::ParsedDoc& app, std::string client_id,
                                         std::string method) {
  return AuthenticatedClient{&app.doc, app.client.get(), std::move(client_id), std::move(method), {}, 0, std::nullopt};
}

// Checks a presented `gth_cs_` secret against the app's ACTIVE client_secret documents:
// is_well_formed first, then HMAC(pepper) compared in constant time with each `_gh.mac`.
bool secret_matches(const Env& env, const model::OrgModel& org, std::string_view client_id,
                    std::string_view secret);

Result<AuthenticatedClient> authenticate_basic(Env& env, const ClientAuthInput& in,
                                               const model::OrgModel& org, std::string_view b64);
Result<AuthenticatedClient> authenticate_post(Env& env, const ClientAuthInput& in,
                                              const model::OrgModel& org);
// Everything but single use: the assertion's replay key is returned in the client.
Result<AuthenticatedClient> authenticate_private_key_jwt(Env& env, const ClientAuthInput& in,
                                                         const model::OrgModel& org);
// For a client_assertion of an ACTIVE private_key_jwt app with a jwks_uri: refreshes the app's
// cached set when the assertion's kid calls for it (JwksCache::refresh). Reads the unverified
// header and iss only to choose what to fetch; refuses nothing. Takes the org lock shared, not
// while fetching. May block on the network: outbound lane only.
void prefetch_private_key_jwt(Env& env, const http::Params& form, model::OrgModel& org);

}  // namespace gh::oauth::detail
