#pragma once
// The `Authorization` request header of /api/v1 split into its scheme and credentials (RFC 9110
// §11.6.2, §11.4): pure, no model, so that it is fuzzed alone (tests/fuzz/authorization_fuzz).
#include <string_view>

namespace gh::api {

enum class AuthScheme { none, ssws, bearer, dpop, other };

struct AuthorizationHeader {
  AuthScheme scheme = AuthScheme::none;  // none: the header is empty or only whitespace
  std::string_view credentials;          // after the first space, blanks trimmed; may be empty
};

// Scheme names match case-insensitively (okta-compat.md §11.3); leading and trailing spaces and
// tabs around the header and the credentials are dropped. Views into `header`.
AuthorizationHeader parse_authorization(std::string_view header);

}  // namespace gh::api
