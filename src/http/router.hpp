#pragma once
// Path-pattern router: "/api/v1/users/{id}/groups". Patterns are matched segment by segment;
// `{name}` captures one percent-decoded segment. Thread-safe once built.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "http/url.hpp"

namespace gh::http {

struct PathParams {
  std::vector<std::string> values;  // in pattern order, percent-decoded
  const std::string& operator[](std::size_t i) const { return values[i]; }
};

template <class Handler>
class Router {
 public:
  struct Route {
    Method method;
    std::vector<std::string> segments;  // "{}" for a capture
    Handler handler;
  };
  struct Match {
    const Handler* handler = nullptr;  // null: no route
    bool path_known = false;           // a route exists for the path with another method (405)
    PathParams params;
  };

  void add(Method m, std::string_view pattern, Handler h) {
    routes_.push_back({m, split(pattern, true), std::move(h)});
  }

  // `path` is relative to the mount point (e.g. "/api/v1/users/00u1").
  Match match(Method m, std::string_view path) const {
    Match out;
    std::string_view segs_buf[kMaxSegments];
    std::size_t n = 0;
    for (std::string_view p = path; !p.empty();) {  // views into `path`: no allocation
      if (p.front() == '/') {
        p.remove_prefix(1);
        continue;
      }
      if (n == kMaxSegments) return out;
      auto slash = p.find('/');
      segs_buf[n++] = p.substr(0, slash);
      p = slash == std::string_view::npos ? std::string_view{} : p.substr(slash);
    }
    std::span<const std::string_view> segs(segs_buf, n);
    for (auto& r : routes_) {
      if (r.segments.size() != segs.size()) continue;
      PathParams params;
      bool ok = true;
      for (std::size_t i = 0; i < segs.size() && ok; ++i) {
        if (r.segments[i] == "{}") {
          auto d = percent_decode(segs[i], false);
          if (!d || d->empty()) ok = false;
          else params.values.push_back(std::move(*d));
        } else {
          ok = r.segments[i] == segs[i];
        }
      }
      if (!ok) continue;
      if (r.method == m || (m == Method::head && r.method == Method::get)) {
        out.handler = &r.handler;
        out.params = std::move(params);
        return out;
      }
      out.path_known = true;
    }
    return out;
  }

 private:
  static std::vector<std::string> split(std::string_view p, bool pattern) {
    std::vector<std::string> out;
    while (!p.empty()) {
      if (p.front() == '/') {
        p.remove_prefix(1);
        continue;
      }
      auto slash = p.find('/');
      auto seg = p.substr(0, slash);
      out.emplace_back(pattern && seg.starts_with('{') ? std::string("{}") : std::string(seg));
      p = slash == std::string_view::npos ? std::string_view{} : p.substr(slash);
    }
    return out;
  }

  static constexpr std::size_t kMaxSegments = 16;
  std::vector<Route> routes_;
};

}  // namespace gh::http
