#pragma once
// The common front of the introspection and revocation endpoints (RFC 7662 §2.1, RFC 7009 §2.1):
// the form body and the client-authentication input.
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "http/url.hpp"
#include "model/org_model.hpp"
#include "oauth/client_auth/client_auth.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth {

// Parses an application/x-www-form-urlencoded body. Errors (400 invalid_request): another media
// type, a bad encoding, any parameter given twice (okta-compat.md §11.20). Thread-safe.
Result<http::Params> parse_form(const http::Request& req);

// Resolves the AS `as_id` (unknown or not ACTIVE → 404 not_found, oauth/auth_server.hpp), then
// authenticates the client of an introspection/revocation request (okta-compat.md §4.3: for
// private_key_jwt the assertion aud is the endpoint URL, or the issuer). The caller holds the org
// lock shared. Errors: not_found, and those of ClientAuthenticator::authenticate.
Result<AuthenticatedClient> authenticate_client(ClientAuthenticator& auth, const http::Request& req,
                                                const http::Params& form,
                                                const model::OrgModel& org, std::string_view as_id,
                                                std::string_view endpoint);

// The "token" parameter: nullopt when absent or empty.
std::optional<std::string_view> token_param(const http::Params& form);

}  // namespace gh::oauth
