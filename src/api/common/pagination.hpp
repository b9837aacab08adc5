#pragma once
// Cursor paging (okta-compat.md §1.6, §2): `limit` and an opaque `after`, absolute Link headers
// with rel="self" and, only when another page exists, rel="next" carrying every parameter.
#include <optional>
#include <string>
#include <string_view>

#include "api/common/api_error.hpp"
#include "http/message.hpp"
#include "http/url.hpp"

namespace gh::api {

struct Page {
  std::size_t limit;
  std::string after;  // "" = from the start; else the id of the last item of the previous page
};

// `default_limit` when absent; values above `max_limit` are clamped; non-numbers → E0000001.
Result<Page> parse_page(const http::Params& q, std::size_t default_limit, std::size_t max_limit);

// Sets Link rel="self" (the request URL) and, when `next_after` is set, rel="next".
void set_links(http::Response& res, std::string_view org_url, std::string_view path_in_org,
               const http::Params& q, const std::optional<std::string>& next_after);

// Renders a JSON array from pre-rendered elements.
std::string json_array(const std::vector<const std::string*>& items);

}  // namespace gh::api
