// The client commands' shared parts: exit codes, the profile file, sessions, printing.
#include "cli/client_common.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace gh::cli {
namespace json = boost::json;

int fail(std::string_view what, const sdk::Error& e) {
  std::cerr << "gatehouse: " << what << ": " << e.message() << "\n";
  if (e.code == sdk::Errc::transport_failed || e.code == sdk::Errc::insecure_url) return kUnreachable;
  if (e.code == sdk::Errc::bad_url || e.code == sdk::Errc::bad_key || e.code == sdk::Errc::bad_config) return kUsage;
  switch (e.status) {
    case 401: return kUnauthorized;
    case 403: return kForbidden;
    case 404: return kNotFound;
    case 0: return kFailed;
    default: return kRefused;
  }
}

int usage(std::string_view message) {
  std::cerr << "gatehouse: " << message << "\n";
  return kUsage;
}

std::string profile_path() {
  std::string base;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x == '/') {
    base = x;
  } else if (const char* h = std::getenv("HOME"); h && *h) {
    base = std::string(h) + "/.config";
  } else {
    return {};
  }
  return base + "/gatehouse/profile.json";
}

std::optional<std::string> save_profile(const Profile& p) {
  auto path = profile_path();
  if (path.empty()) return "neither XDG_CONFIG_HOME nor HOME is set";
  auto dir = path.substr(0, path.rfind('/'));
  auto parent = dir.substr(0, dir.rfind('/'));
  ::mkdir(parent.c_str(), 0700);  // ~/.config, if missing
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return "cannot create " + dir + ": " + std::strerror(errno);
  if (::chmod(dir.c_str(), 0700) != 0) return "cannot set the mode of " + dir;
  // Written to a new 0600 file, then renamed over the old one: never readable by others, never
  // half-written.
  auto tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write " + tmp + ": " + std::strerror(errno);
  auto body = json::serialize(json::object{{"orgUrl", p.org_url}, {"apiToken", p.api_token}}) + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 && ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return "cannot write " + path;
  }
  return std::nullopt;
}

std::optional<Profile> load_profile(std::string* why) {
  auto path = profile_path();
  std::ifstream in(path);
  if (path.empty() || !in) {
    *why = "not logged in (no profile at " + (path.empty() ? std::string("$HOME/.config/gatehouse") : path) +
           "); run: gatehouse login --org-url URL";
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(ss.str(), ec);
  Profile p;
  if (!ec && v.is_object()) {
    p.org_url = text(v, {"orgUrl"});
    p.api_token = text(v, {"apiToken"});
  }
  if (p.org_url.empty() || p.api_token.empty()) {
    *why = "the profile " + path + " is damaged; run: gatehouse login --org-url URL";
    return std::nullopt;
  }
  return p;
}

Session open_session() {
  std::string why;
  auto p = load_profile(&why);
  if (!p) {
    std::cerr << "gatehouse: " << why << "\n";
    return {nullptr, kNoProfile};
  }
  return {std::make_unique<sdk::ManagementClient>(p->org_url, core::SecretString(p->api_token)), kOk};
}

void print_json(const json::value& v) { std::cout << json::serialize(v) << "\n"; }

std::vector<std::string> split_list(const std::string& csv) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : csv + ",") {
    if (c == ',' || c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

std::string text(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (auto k : path) {
    if (!cur->is_object()) return {};
    cur = cur->as_object().if_contains(k);
    if (!cur) return {};
  }
  if (cur->is_string()) return std::string(cur->as_string());
  if (cur->is_null()) return {};
  return json::serialize(*cur);
}

}  // namespace gh::cli
