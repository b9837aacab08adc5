#include "api/common/pagination.hpp"

#include <charconv>

namespace gh::api {

Result<Page> parse_page(const http::Params& q, std::size_t default_limit, std::size_t max_limit) {
  Page p{default_limit, ""};
  if (auto l = q.get("limit")) {
    std::size_t v = 0;
    auto [ptr, ec] = std::from_chars(l->data(), l->data() + l->size(), v);
    if (ec != std::errc{} || ptr != l->data() + l->size() || l->empty())
      return validation_failed("limit", {"limit: The value must be a positive integer"});
    p.limit = v == 0 ? default_limit : std::min(v, max_limit);
  }
  if (auto a = q.get("after")) p.after = std::string(*a);
  return p;
}

void set_links(http::Response& res, std::string_view org_url, std::string_view path_in_org,
               const http::Params& q, const std::optional<std::string>& next_after) {
  std::string base = std::string(org_url) + std::string(path_in_org);
  std::string self = base;
  if (!q.items().empty()) {
    std::string enc;
    for (auto& [k, v] : q.items()) {
      if (!enc.empty()) enc += '&';
      enc += http::percent_encode(k) + "=" + http::percent_encode(v);
    }
    self += "?" + enc;
  }
  res.set("Link", "<" + self + ">; rel=\"self\"");
  if (next_after) res.set("Link", "<" + base + "?" + q.encode_with("after", *next_after) + ">; rel=\"next\"");
}

std::string json_array(const std::vector<const std::string*>& items) {
  std::size_t n = 2;
  for (auto* s : items) n += s->size() + 1;
  std::string out;
  out.reserve(n);
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += *items[i];
  }
  out += ']';
  return out;
}

}  // namespace gh::api
