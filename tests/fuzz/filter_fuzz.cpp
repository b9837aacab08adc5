// libFuzzer target: the SCIM filter/search parser (src/api/common/filter.*) behind
// /api/v1/users, /api/v1/groups and /api/v1/logs. Every input parses or fails with a
// FilterError; evaluation of whatever parses must terminate without a crash.
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "api/common/filter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gh::api::FilterOptions options;
  options.allow_ew = size % 2 == 1;
  auto parsed = gh::api::Filter::parse(text, options);
  if (auto* error = std::get_if<gh::api::FilterError>(&parsed)) {
    if (error->message.empty()) __builtin_trap();
    return 0;
  }
  const auto& filter = std::get<gh::api::Filter>(parsed);
  const gh::api::AttributeLookup lookup =
      [](std::string_view attr) -> std::optional<boost::json::value> {
    if (attr == "status") return boost::json::value("ACTIVE");
    if (attr == "profile.login") return boost::json::value("ann@example.com");
    if (attr == "lastUpdated") return boost::json::value("2026-11-28T10:00:00.000Z");
    if (attr == "count") return boost::json::value(42);
    if (attr == "flag") return boost::json::value(true);
    if (attr == "tags") return boost::json::value{"a", "b"};
    return std::nullopt;
  };
  (void)filter.matches(lookup);
  return 0;
}
