#pragma once
// The admin console's built files (console/dist, issue 17), read into memory once at start-up and
// served at ORG/admin/: index.html for every route of the single-page app (no-cache), the
// content-hashed files under assets/ with a year-long immutable cache. No request touches the
// disk. Every console response carries the security headers (add_security_headers).
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.hpp"

namespace gh::console {

class StaticSite {
 public:
  StaticSite() = default;
  // Reads every regular file under `dir` (at most 64 MiB in all); an absent or unreadable
  // directory gives an empty site (the console then answers 404 with a hint).
  static StaticSite load(const std::string& dir);
  // An in-memory site (tests): path relative to the root ("index.html", "assets/x.js") → bytes.
  static StaticSite from_files(std::unordered_map<std::string, std::string> files);

  bool empty() const { return files_.empty(); }
  std::size_t size() const { return files_.size(); }
  // `rel` is the path under ORG/admin/ ("" for the root, "assets/index-3f2a.js", "tokens").
  // `base` is the URL path of ORG/admin/ ("/admin/", "/o/acme/admin/"): the index's relative
  // references ("./assets/…") are made absolute with it, because the server cannot tell
  // "/admin" from "/admin/" (a trailing slash is not kept, okta-compat.md §1.2).
  http::Response serve(const http::Request& req, std::string_view rel, std::string_view base) const;

 private:
  std::unordered_map<std::string, std::string> files_;
};

// The headers of every console response: a CSP without inline script, no framing, no referrer,
// no MIME sniffing (issue 17).
void add_security_headers(http::Response& r);

// The media type of a file name by its extension.
std::string_view content_type_of(std::string_view name);

// Where the console's files are when the configuration names none: `console/` next to the
// binary, else `../console/dist` from it (a build tree); "" when neither has an index.html.
std::string find_console_dir(const std::string& executable_path);

}  // namespace gh::console
