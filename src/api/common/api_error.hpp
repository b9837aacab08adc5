#pragma once
// Okta's error envelope (okta-compat.md §2.1, §11.1): errorCode, errorSummary, errorLink, errorId,
// errorCauses. Built only through the factories below; text is client-safe by construction.
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
};

ApiError validation_failed(std::string summary, std::vector<std::string> causes = {});  // 400 E0000001
ApiError malformed_body();                                 // 400 E0000003
ApiError forbidden();                                      // 403 E0000006
ApiError not_found(std::string what);                      // 404 E0000007
ApiError invalid_token(std::string challenge);             // 401 E0000011
ApiError no_credentials(std::string challenge);            // 401, envelope, challenge (§11.2)
ApiError method_not_allowed();                             // 405 E0000022
ApiError invalid_search();                                 // 400 E0000031
ApiError status_forbids();                                 // 403 E0000038
ApiError unsupported_media_type();                         // 415 (§11.6)
ApiError payload_too_large();                              // 413
ApiError headers_too_large();                              // 431
ApiError bad_request();                                    // 400 (transport)
ApiError rate_limited();                                   // 429 E0000047
ApiError internal_error();                                 // 500 E0000009, no internals

// Renders the envelope; `request_id` becomes errorId.
http::Response render_error(const ApiError& e, std::string_view request_id);

}  // namespace gh::api
