#include "api/common/search_params.hpp"

namespace gh::api {

Result<Criteria> parse_criteria(const http::Params& q,
                                                std::initializer_list<std::string_view> names) {
  Criteria c;
  for (auto name : names) {
    if (q.count(name) > 1) return invalid_search();
    auto v = q.get(name);
    if (!v) continue;
    auto parsed = Filter::parse(*v);
    if (auto* e = std::get_if<FilterError>(&parsed)) return invalid_search(e->code);
    c.filters.push_back(std::move(std::get<Filter>(parsed)));
  }
  return c;
}

std::optional<boost::json::value> lookup_path(const boost::json::object& o, std::string_view path) {
  const boost::json::object* cur = &o;
  while (true) {
    auto dot = path.find('.');
    auto* v = cur->if_contains(path.substr(0, dot));
    if (!v) return std::nullopt;
    if (dot == std::string_view::npos) return *v;
    if (!v->is_object()) return std::nullopt;
    cur = &v->get_object();
    path = path.substr(dot + 1);
  }
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (prefix.size() > s.size()) return false;
  return http::iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace gh::api
