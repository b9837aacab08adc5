#include "api/common/api_error.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "store/errc.hpp"

namespace gh::api {
namespace {
ApiError make(int status, std::string code, std::string summary) {
  ApiError e;
  e.status = status;
  e.code = std::move(code);
  e.summary = std::move(summary);
  return e;
}
}  // namespace

ApiError with_cause(ApiError e, boost::system::error_code cause) {
  e.cause = cause;
  return e;
}

ApiError validation_failed(std::string summary, std::vector<std::string> causes,
                           boost::system::error_code cause) {
  auto e = make(400, "E0000001", "Api validation failed: " + summary);
  e.causes = std::move(causes);
  e.cause = cause;
  return e;
}
ApiError malformed_body(boost::system::error_code cause) {
  return with_cause(make(400, "E0000003", "The request body was not well-formed."), cause);
}
ApiError forbidden() {
  return make(403, "E0000006", "You do not have permission to perform the requested action");
}
ApiError not_found(std::string what) {
  return make(404, "E0000007", "Not found: Resource not found: " + what);
}
ApiError invalid_token(std::string challenge, boost::system::error_code cause) {
  auto e = make(401, "E0000011", "Invalid token provided");
  e.www_authenticate = std::move(challenge);
  e.cause = cause;
  return e;
}
ApiError no_credentials(std::string challenge) {
  auto e = make(401, "E0000011", "Invalid token provided");
  e.www_authenticate = std::move(challenge);
  return e;
}
ApiError method_not_allowed() {
  return make(405, "E0000022", "The endpoint does not support the provided HTTP method");
}
ApiError invalid_search(boost::system::error_code cause) {
  return with_cause(make(400, "E0000031", "Invalid search criteria."), cause);
}
ApiError status_forbids() {
  return make(403, "E0000038", "This operation is not allowed in the user's current status.");
}
ApiError unsupported_media_type() {
  auto e = make(415, "E0000001", "Api validation failed: Content-Type");
  e.causes = {"Unsupported Media Type: the request body must be application/json."};
  return e;
}
ApiError payload_too_large() {
  return make(413, "E0000001", "Api validation failed: Request entity too large");
}
ApiError headers_too_large() {
  return make(431, "E0000001", "Api validation failed: Request header fields too large");
}
ApiError bad_request(boost::system::error_code cause) {
  return with_cause(make(400, "E0000001", "Api validation failed: Bad request"), cause);
}
ApiError rate_limited(boost::system::error_code cause) {
  return with_cause(make(429, "E0000047", "API call exceeded rate limit due to too many requests."), cause);
}
ApiError internal_error(boost::system::error_code cause) {
  // The store cannot be reached now (PostgreSQL down, the connection lost): Okta's 503 for a
  // database that takes no writes (okta-error-codes.json "Read only database exception"); the
  // client may retry. Nothing was written (a ChangeSet is all or nothing).
  if (cause == store::Errc::unavailable)
    return with_cause(make(503, "E0000010", "Service is in read only mode"), cause);
  return with_cause(make(500, "E0000009", "Internal Server Error"), cause);
}

http::Response render_error(const ApiError& e, std::string_view request_id) {
  boost::json::array causes;
  for (auto& c : e.causes) causes.push_back(boost::json::object{{"errorSummary", c}});
  boost::json::object body{{"errorCode", e.code},
                           {"errorSummary", e.summary},
                           {"errorLink", e.code},
                           {"errorId", "oae" + std::string(request_id)},
                           {"errorCauses", std::move(causes)}};
  auto r = http::Response::json(e.status, boost::json::serialize(body));
  if (!e.www_authenticate.empty()) r.set("WWW-Authenticate", e.www_authenticate);
  if (e.retry_after > 0) r.set("Retry-After", std::to_string(e.retry_after));
  return r;
}

void log_refusal(const ApiError& e, std::string_view request_id, std::string_view org_id) {
  std::string cause;
  if (e.cause) cause = std::string(e.cause.category().name()) + ":" + e.cause.message();
  auto level = e.status >= 500 ? spdlog::level::err : spdlog::level::debug;
  spdlog::log(level, "refused request_id={} org={} status={} error={} cause=\"{}\"", request_id,
              org_id.empty() ? std::string_view("-") : org_id, e.status, e.code, cause);
}

void throw_exception_from_error(const ApiError& e, const boost::source_location&) {
  throw std::runtime_error("api error: " + e.code);
}

}  // namespace gh::api
