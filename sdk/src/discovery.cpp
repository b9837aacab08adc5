// Authorization server metadata (RFC 8414) and the retry hints of 429/503 responses.
#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <ctime>

#include "gatehouse/client/token_client.hpp"

namespace gh::sdk {
namespace json = boost::json;

namespace {
std::string member(const json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::vector<std::string> candidates(std::string_view issuer) {
  std::string base(issuer);
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::vector<std::string> out;
  auto u = boost::urls::parse_absolute_uri(base);
  if (u && !u->encoded_path().empty()) {
    // RFC 8414 §3.1: "/.well-known/oauth-authorization-server" inserted before the path.
    std::string origin = std::string(u->scheme()) + "://" + std::string(u->encoded_host_and_port());
    out.push_back(origin + "/.well-known/oauth-authorization-server" + std::string(u->encoded_path()));
  }
  out.push_back(base + "/.well-known/oauth-authorization-server");  // Okta's form
  out.push_back(base + "/.well-known/openid-configuration");        // OIDC Discovery §4
  return out;
}
}  // namespace

Result<ServerMetadata> discover(Transport& transport, std::string_view issuer) {
  if (auto ok = check_url(issuer); !ok) return ok.error();
  std::string last = "no metadata document";
  for (auto& url : candidates(issuer)) {
    auto res = transport.send({"GET", url, {{"Accept", "application/json"}}, {}});
    if (!res) return Error(Errc::discovery_failed, 0, res.error().message());
    if (res->status != 200) {
      last = url + " -> " + std::to_string(res->status);
      continue;
    }
    boost::system::error_code ec;
    auto v = json::parse(res->body, ec);
    if (ec || !v.is_object()) return Error(Errc::discovery_failed, 200, url + ": not a JSON object");
    ServerMetadata m{member(v.as_object(), "issuer"), member(v.as_object(), "token_endpoint"),
                     member(v.as_object(), "jwks_uri")};
    // RFC 8414 §3.3: the issuer in the document must be identical to the one asked for.
    if (m.issuer != issuer) return Error(Errc::discovery_failed, 200, "issuer mismatch: " + m.issuer);
    if (m.token_endpoint.empty()) return Error(Errc::discovery_failed, 200, "no token_endpoint");
    if (auto ok = check_url(m.token_endpoint); !ok) return ok.error();
    return m;
  }
  return Error(Errc::discovery_failed, 404, last);
}

std::optional<std::chrono::milliseconds> retry_hint(const HttpResponse& res, core::SysTime now) {
  using namespace std::chrono;
  auto parse_int = [](std::string_view s) -> std::optional<std::int64_t> {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size() || n < 0) return std::nullopt;
    return n;
  };
  auto http_date = [](std::string_view v) -> std::optional<std::int64_t> {  // IMF-fixdate, ms
    std::tm tm{};
    std::string s(v);
    if (!strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) return std::nullopt;
    return std::int64_t(timegm(&tm)) * 1000;
  };
  // The server's clock, when it sent a Date (okta-compat.md §1.12 computes the wait from it).
  std::int64_t server_now = core::epoch_ms(now);
  if (auto d = res.header("Date"))
    if (auto t = http_date(*d)) server_now = *t;
  if (auto ra = res.header("Retry-After")) {
    if (auto n = parse_int(*ra)) return milliseconds(*n * 1000);  // RFC 9110 §10.2.3 delay-seconds
    if (auto at = http_date(*ra)) return milliseconds(std::max<std::int64_t>(0, *at - server_now));
  }
  if (auto reset = res.header("X-Rate-Limit-Reset")) {  // okta-compat.md §2: UTC epoch seconds
    if (auto n = parse_int(*reset))
      return milliseconds(std::max<std::int64_t>(0, *n * 1000 - server_now));
  }
  return std::nullopt;
}

}  // namespace gh::sdk
