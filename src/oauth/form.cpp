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
  std::set<std::string_view> seen;
  for (auto& [name, value] : params->items())
    if (!seen.insert(name).second) return invalid_request("A parameter was given more than once.");
  return std::move(*params);
}

}  // namespace gh::oauth
