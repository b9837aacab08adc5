#pragma once
// OAuth errors (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009, RFC 9449): one factory per error.
// `description` is client-safe (okta-compat.md §11.21: RFC 6749 §5.2 characters only, never an
// echo of request values); `cause` is for logs only.
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "http/message.hpp"

namespace gh::oauth {

// X-Rate-Limit-Limit / -Remaining / -Reset (epoch seconds), okta-compat.md §1.12, §2.
struct RateHeaders {
  std::uint32_t limit = 0;
  std::uint32_t remaining = 0;
  std::int64_t reset_epoch_s = 0;
};
void set_rate_headers(http::Response& r, const RateHeaders& h);

struct Error {
  int status = 400;
  std::string error;         // "invalid_client", ...
  std::string description;   // error_description
  std::string www_authenticate;
  std::string dpop_nonce;    // DPoP-Nonce header (use_dpop_nonce)
  std::optional<RateHeaders> rate;  // X-Rate-Limit-* headers (429 and rate-limited endpoints)
  boost::system::error_code cause;
  // The request cannot be decided without outbound I/O (a client's jwks_uri): this error is the
  // answer if that I/O brings nothing; render() marks the response (http::Response::needs_outbound).
  bool needs_outbound = false;
  std::string allow;  // Allow header of a 405 (RFC 9110 §15.5.6)
  std::int64_t retry_after = 0;  // seconds, the Retry-After header of a 429 when > 0
};

template <class T>
using Result = boost::system::result<T, Error>;

Error invalid_request(std::string description, boost::system::error_code cause = {});
Error invalid_client(std::string description, boost::system::error_code cause = {});           // 401
Error invalid_grant(std::string description);
Error unauthorized_client(std::string description);
Error unsupported_grant_type(std::string description);
Error invalid_scope(std::string description);
Error access_denied(int status, std::string description);
Error invalid_token(std::string description);                                                   // 401
Error invalid_dpop_proof(std::string description);
Error use_dpop_nonce(std::string nonce);
Error too_many_requests(std::string description);                                               // 429
Error server_error(boost::system::error_code cause = {});                                        // 500

// JSON {"error","error_description"} with Cache-Control: no-store, Pragma: no-cache.
http::Response render(const Error& e);

// The one log line of a refused request (debug; error for a 5xx), written where the OAuth
// endpoints render it (Endpoints::handle): request_id, org, status, error and the cause as
// "<category>:<message>". Nothing from the request is logged (no secret, token or assertion).
void log_refusal(const Error& e, std::string_view request_id, std::string_view org_id);

[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace gh::oauth
