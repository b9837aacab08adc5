#pragma once
// ISO-8601 timestamps as Okta writes them: YYYY-MM-DDTHH:mm:ss.SSSZ (okta-compat.md §1.14).
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace gh::core {

std::string format_iso8601(SysTime t);
// Accepts YYYY-MM-DDTHH:mm:ss[.fff][Z|±HH:MM]; nullopt for anything else.
std::optional<SysTime> parse_iso8601(std::string_view s);
// RFC 9110 IMF-fixdate, for the Date header.
std::string format_http_date(std::chrono::sys_seconds t);

}  // namespace gh::core
