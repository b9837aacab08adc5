// libFuzzer target: query strings, form bodies and paths (src/http/url.*): every request's
// first parse. Invariants: normalize_path is idempotent; percent_encode then percent_decode gives
// back the input; a parsed Params re-encodes and re-parses to the same pairs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string once = gh::http::normalize_path(text);
  if (gh::http::normalize_path(once) != once) __builtin_trap();

  if (text.find('\0') == std::string_view::npos) {
    auto back = gh::http::percent_decode(gh::http::percent_encode(text), false);
    if (!back || *back != text) __builtin_trap();
  }
  (void)gh::http::percent_decode(text, true);

  if (auto params = gh::http::Params::parse(text)) {
    if (params->items().empty()) return 0;
    const auto [name, value] = params->items().front();
    if (params->get(name) != std::string_view(value)) __builtin_trap();
    // encode_with keeps the first `name` (with `value`) and drops its repeats.
    std::vector<std::pair<std::string, std::string>> expected;
    for (const auto& item : params->items()) {
      if (item.first != name || expected.empty()) expected.push_back(item);
    }
    auto again = gh::http::Params::parse(params->encode_with(name, value));
    if (!again || again->items() != expected) __builtin_trap();
  }
  return 0;
}
