#pragma once
// Okta's error envelope (okta-compat.md §2.1, §11.1): errorCode, errorSummary, errorLink, errorId,
// errorCauses. Built only through the factories below; text is client-safe by construction.
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <vector>

#include "http/message.hpp"

namespace gh::api {

struct ApiError {
  int status = 500;
  std::string code;                 // E0000xxx
  std::string summary;
  std::vector<std::string> causes;  // errorCauses[].errorSummary
  std::string www_authenticate;     // set on 401 (okta-compat.md §11.2)
  std::int64_t retry_after = 0;     // seconds, rendered as Retry-After when > 0 (a 429)
  // Why, for the one `refused` log line (ManagementApi::handle): never rendered. Only its category
  // and message are logged, so it never carries request data, secrets or tokens.
  boost::system::error_code cause;
};

// The management API's one way to fail (STYLE.md §3): a value or the refusal to render.
template <class T>
using Result = boost::system::result<T, ApiError>;

// For result::value(); callers check a result before dereferencing it.
[[noreturn]] void throw_exception_from_error(const ApiError& e, const boost::source_location& loc);

// `cause` (where a factory takes one) is ApiError::cause: logged once, never rendered.
ApiError validation_failed(std::string summary, std::vector<std::string> causes = {},
                           boost::system::error_code cause = {});  // 400 E0000001
ApiError malformed_body(boost::system::error_code cause = {});     // 400 E0000003
ApiError forbidden();                                      // 403 E0000006
ApiError not_found(std::string what);                      // 404 E0000007
ApiError invalid_token(std::string challenge, boost::system::error_code cause = {});  // 401 E0000011
ApiError no_credentials(std::string challenge);            // 401, envelope, challenge (§11.2)
ApiError method_not_allowed();                             // 405 E0000022
ApiError invalid_search(boost::system::error_code cause = {});  // 400 E0000031
ApiError status_forbids();                                 // 403 E0000038
ApiError unsupported_media_type();                         // 415 (§11.6)
ApiError payload_too_large();                              // 413
ApiError headers_too_large();                              // 431
ApiError bad_request(boost::system::error_code cause = {});     // 400 (transport)
ApiError rate_limited(boost::system::error_code cause = {});    // 429 E0000047
ApiError internal_error(boost::system::error_code cause = {});  // 500 E0000009, no internals

// Renders the envelope; `request_id` becomes errorId. `cause` is not rendered.
http::Response render_error(const ApiError& e, std::string_view request_id);

// The one log line of a refused request (debug; error for a 5xx): request_id, org, status,
// errorCode and the cause as "<category>:<message>". Nothing from the request is logged.
void log_refusal(const ApiError& e, std::string_view request_id, std::string_view org_id);

}  // namespace gh::api
