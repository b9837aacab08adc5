#pragma once
// Form bodies of the OAuth endpoints (RFC 6749 §3.2, Appendix B).
#include "http/message.hpp"
#include "http/url.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth {

// Parses an application/x-www-form-urlencoded body (parameters such as charset allowed).
// Errors, all 400 invalid_request with client-safe text: another or no Content-Type, a bad
// encoding, any parameter given more than once (okta-compat.md §11.20).
Result<http::Params> parse_form_body(const http::Request& req);

}  // namespace gh::oauth
