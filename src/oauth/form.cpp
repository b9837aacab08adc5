#include "oauth/form.hpp"

#include <set>

namespace gh::oauth {

Result<http::Params> parse_form_body(const http::Request& req) {
  std::string_view type = req.header("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  if (!http::iequals(type, "application/x-www-form-urlencoded"))
    return invalid_request("The request body must be application/x-www-form-urlencoded.");
  auto params = http::Params::parse(req.body);
  if (!params) return invalid_request("The request body is not validly form-urlencoded.");
  // A token request has a handful of parameters: those are compared pairwise (no allocation per
  // name, issue 20); a long form goes through a set, so that its cost stays n log n.
  auto& items = params->items();
  bool repeated = false;
  if (items.size() <= 16) {
    for (std::size_t i = 1; i < items.size() && !repeated; ++i)
      for (std::size_t j = 0; j < i && !repeated; ++j) repeated = items[i].first == items[j].first;
  } else {
    std::set<std::string_view> seen;
    for (auto& item : items) repeated = repeated || !seen.insert(item.first).second;
  }
  if (repeated) return invalid_request("A parameter was given more than once.");
  return std::move(*params);
}

}  // namespace gh::oauth
