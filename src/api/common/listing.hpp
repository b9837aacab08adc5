#pragma once
// One page of an id-ordered collection from the in-memory model (okta-compat.md §1.6):
// items after the cursor that satisfy `pred`, up to page.limit, and the cursor of the next page
// only when at least one more matching item exists (never a `next` link to an empty page).
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "api/common/pagination.hpp"

namespace gh::api {

struct PageOut {
  std::vector<const std::string*> items;  // pre-rendered JSON
  std::optional<std::string> next_after;
};

template <class Map, class Pred, class JsonOf>
PageOut collect_page(const Map& m, const Page& page, Pred&& pred, JsonOf&& json_of) {
  PageOut out;
  auto it = page.after.empty() ? m.begin() : m.upper_bound(page.after);
  std::string last;
  for (; it != m.end(); ++it) {
    if (!pred(it->second)) continue;
    if (out.items.size() == page.limit) {
      out.next_after = last;
      break;
    }
    out.items.push_back(&json_of(it->second));
    last = it->first;
  }
  return out;
}

// The same for items rendered on demand (documents): `render(item)` gives the JSON text of each
// item kept, stored in `rendered`, which must outlive the page.
template <class Map, class Pred, class Render>
PageOut collect_page(const Map& m, const Page& page, Pred&& pred, Render&& render, std::deque<std::string>& rendered) {
  return collect_page(m, page, pred, [&](const auto& item) -> const std::string& {
    return rendered.emplace_back(render(item));
  });
}

}  // namespace gh::api
