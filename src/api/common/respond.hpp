#pragma once
// Small response helpers shared by the resources.
#include <string>

#include "api/common/api_error.hpp"
#include "api/common/context.hpp"
#include "core/time_format.hpp"

namespace gh::api {

inline http::Response ok_json(std::string body, int status = 200) {
  return http::Response::json(status, std::move(body));
}
inline http::Response no_content() { return http::Response::empty(204); }
inline std::string iso(domain::Millis t) { return core::format_iso8601(core::from_epoch_ms(t)); }
// A failed commit: a conflict is the client's (a concurrent duplicate), anything else is ours
// (500); `ec` is the refusal's cause.
ApiError commit_failed(const boost::system::error_code& ec);

}  // namespace gh::api
