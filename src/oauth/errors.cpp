#include "oauth/errors.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

#include "store/errc.hpp"

namespace gh::oauth {
namespace {
Error make(int status, const char* code, std::string description, boost::system::error_code cause = {}) {
  Error e;
  e.status = status;
  e.error = code;
  // §11.21: RFC 6749 §5.2 — %x20-21 / %x23-5B / %x5D-7E only.
  for (auto& c : description)
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') c = ' ';
  e.description = std::move(description);
  e.cause = cause;
  return e;
}
}  // namespace

Error invalid_request(std::string d, boost::system::error_code cause) { return make(400, "invalid_request", std::move(d), cause); }
Error invalid_client(std::string d, boost::system::error_code cause) { return make(401, "invalid_client", std::move(d), cause); }
Error invalid_grant(std::string d) { return make(400, "invalid_grant", std::move(d)); }
Error unauthorized_client(std::string d) { return make(400, "unauthorized_client", std::move(d)); }
Error unsupported_grant_type(std::string d) { return make(400, "unsupported_grant_type", std::move(d)); }
Error invalid_scope(std::string d) { return make(400, "invalid_scope", std::move(d)); }
Error access_denied(int status, std::string d) { return make(status, "access_denied", std::move(d)); }
Error invalid_token(std::string d) { return make(401, "invalid_token", std::move(d)); }
Error invalid_dpop_proof(std::string d) { return make(400, "invalid_dpop_proof", std::move(d)); }
Error use_dpop_nonce(std::string nonce) {
  auto e = make(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.");
  e.dpop_nonce = std::move(nonce);
  return e;
}
Error too_many_requests(std::string d) { return make(429, "too_many_requests", std::move(d)); }
Error server_error(boost::system::error_code cause) {
  // The store takes no writes now (a full disk, an I/O error, PostgreSQL down): RFC 7009 §2.2.1
  // 503, the client may retry; nothing was written (a ChangeSet is all or nothing).
  if (cause == store::Errc::unavailable) {
    auto e = make(503, "temporarily_unavailable", "The service is temporarily unavailable; retry later.");
    e.cause = cause;
    e.retry_after = 1;
    return e;
  }
  auto e = make(500, "server_error", "The server encountered an internal error.");
  e.cause = cause;
  return e;
}

http::Response render(const Error& e) {
  boost::json::object body{{"error", e.error}, {"error_description", e.description}};
  auto r = http::Response::json(e.status, boost::json::serialize(body));
  r.set("Cache-Control", "no-store");
  r.set("Pragma", "no-cache");
  if (!e.www_authenticate.empty()) r.set("WWW-Authenticate", e.www_authenticate);
  if (!e.dpop_nonce.empty()) r.set("DPoP-Nonce", e.dpop_nonce);
  if (e.rate) set_rate_headers(r, *e.rate);
  r.needs_outbound = e.needs_outbound;
  if (!e.allow.empty()) r.set("Allow", e.allow);
  if (e.retry_after > 0) r.set("Retry-After", std::to_string(e.retry_after));
  return r;
}

void log_refusal(const Error& e, std::string_view request_id, std::string_view org_id) {
  std::string cause;
  if (e.cause) cause = std::string(e.cause.category().name()) + ":" + e.cause.message();
  auto level = e.status >= 500 ? spdlog::level::err : spdlog::level::debug;
  spdlog::log(level, "refused request_id={} org={} status={} error={} cause=\"{}\"", request_id, org_id, e.status,
              e.error, cause);
}

void set_rate_headers(http::Response& r, const RateHeaders& h) {
  r.set("X-Rate-Limit-Limit", std::to_string(h.limit));
  r.set("X-Rate-Limit-Remaining", std::to_string(h.remaining));
  r.set("X-Rate-Limit-Reset", std::to_string(h.reset_epoch_s));
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::runtime_error("oauth error: " + e.error);
}

}  // namespace gh::oauth
