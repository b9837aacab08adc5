#include "console/static_site.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace gh::console {
namespace fs = std::filesystem;

namespace {
constexpr std::uintmax_t kMaxTotalBytes = 64u << 20;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

StaticSite StaticSite::load(const std::string& dir) {
  StaticSite site;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return site;
  std::uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto size = it->file_size(ec);
    if (ec || (total += size) > kMaxTotalBytes) break;
    auto rel = fs::relative(it->path(), dir, ec).generic_string();
    if (ec) break;
    site.files_[rel] = read_file(it->path());
  }
  return site;
}

StaticSite StaticSite::from_files(std::unordered_map<std::string, std::string> files) {
  StaticSite site;
  site.files_ = std::move(files);
  return site;
}

std::string_view content_type_of(std::string_view name) {
  auto dot = name.rfind('.');
  auto ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

void add_security_headers(http::Response& r) {
  r.set("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  r.set("X-Frame-Options", "DENY");
  r.set("Referrer-Policy", "no-referrer");
  r.set("X-Content-Type-Options", "nosniff");
}

http::Response StaticSite::serve(const http::Request& req, std::string_view rel, std::string_view base) const {
  auto text = [](int status, std::string body) {
    http::Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
  };
  http::Response r;
  if (req.method != http::Method::get && req.method != http::Method::head) {
    r = text(405, "Method Not Allowed\n");
    r.set("Allow", "GET, HEAD");
  } else if (files_.empty()) {
    r = text(404, "The admin console is not built: run `make` (console/dist) or set [console] dir.\n");
  } else if (auto it = files_.find(std::string(rel)); !rel.empty() && it != files_.end() && rel != "index.html") {
    r.content_type = std::string(content_type_of(rel));
    r.body = it->second;
    // Vite names what it emits under assets/ by content hash: a new build is a new name.
    r.set("Cache-Control", rel.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  } else if (rel.starts_with("assets/") || rel.find("..") != std::string_view::npos) {
    r = text(404, "Not Found\n");
  } else if (auto index = files_.find("index.html"); index != files_.end()) {
    r.content_type = "text/html; charset=utf-8";  // a route of the single-page app
    r.body = index->second;
    const std::string from = "=\"./", to = "=\"" + std::string(base);
    for (auto at = r.body.find(from); at != std::string::npos; at = r.body.find(from, at + to.size()))
      r.body.replace(at, from.size(), to);
    r.set("Cache-Control", "no-cache");
  } else {
    r = text(404, "Not Found\n");
  }
  add_security_headers(r);
  return r;
}

std::string find_console_dir(const std::string& executable_path) {
  std::error_code ec;
  auto bin = fs::path(executable_path).parent_path();
  for (auto candidate : {bin / "console", bin / ".." / "console" / "dist"}) {
    if (fs::is_regular_file(candidate / "index.html", ec)) return fs::weakly_canonical(candidate, ec).string();
  }
  return "";
}

}  // namespace gh::console
