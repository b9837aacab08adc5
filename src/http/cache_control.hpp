#pragma once
// Cache-Control response directives (RFC 9111 §5.2.2) that decide how long a fetched document
// may be reused.
#include <chrono>
#include <optional>
#include <string_view>

namespace gh::http {

// The freshness lifetime a Cache-Control value grants: `max-age` (RFC 9111 §5.2.2.1, the first
// valid one), or 0 s when `no-store` or `no-cache` is present (§5.2.2.4, §5.2.2.5). nullopt when
// the header grants nothing (absent, or no parsable directive). Very large values saturate.
std::optional<std::chrono::seconds> max_age(std::string_view cache_control);

}  // namespace gh::http
