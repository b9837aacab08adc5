#pragma once
// `filter=` and `search=` parameters: parsed once per request; unparseable → 400 E0000031,
// never an unfiltered list (okta-compat.md §11.9).
#include <optional>
#include <string_view>

#include "api/common/api_error.hpp"
#include "api/common/filter.hpp"
#include "http/url.hpp"

namespace gh::api {

// Filters from `names` (e.g. {"filter","search"}), all of which must match; nullopt when absent.
struct Criteria {
  std::vector<Filter> filters;
  bool matches(const AttributeLookup& lookup) const {
    for (auto& f : filters)
      if (!f.matches(lookup)) return false;
    return true;
  }
  bool empty() const { return filters.empty(); }
};

Result<Criteria> parse_criteria(const http::Params& q,
                                                std::initializer_list<std::string_view> names);

// Looks up a dotted attribute path ("profile.lastName") inside a JSON object.
std::optional<boost::json::value> lookup_path(const boost::json::object& o, std::string_view path);

// Case-insensitive (ASCII) prefix test, for `q=`.
bool istarts_with(std::string_view s, std::string_view prefix);

}  // namespace gh::api
