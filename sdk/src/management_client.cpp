// ManagementClient: requests, error envelopes (okta-compat.md §2.1) and paging (§2).
#include "gatehouse/client/management_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace gh::sdk {
namespace json = boost::json;

ManagementClient::ManagementClient(std::string org_url, core::SecretString api_token, std::shared_ptr<Transport> t)
    : org_url_(std::move(org_url)), api_token_(std::move(api_token)), transport_(std::move(t)) {
  while (!org_url_.empty() && org_url_.back() == '/') org_url_.pop_back();
  if (!transport_) transport_ = make_beast_transport();
}

ManagementClient::ManagementClient(std::string org_url, std::shared_ptr<TokenClient> tokens, std::shared_ptr<Transport> t)
    : org_url_(std::move(org_url)), tokens_(std::move(tokens)), transport_(std::move(t)) {
  while (!org_url_.empty() && org_url_.back() == '/') org_url_.pop_back();
  if (!transport_) transport_ = make_beast_transport();
}

std::string next_link(const HttpResponse& res) {
  for (auto& [k, v] : res.headers) {
    if (k.size() != 4 || (k[0] != 'L' && k[0] != 'l')) continue;
    std::string_view s = v;
    // Each link: <url>; rel="next" (several per header, or one header per link).
    while (!s.empty()) {
      auto lt = s.find('<'), gt = s.find('>');
      if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt) break;
      auto url = s.substr(lt + 1, gt - lt - 1);
      auto end = s.find('<', gt);
      auto params = s.substr(gt + 1, end == std::string_view::npos ? s.npos : end - gt - 1);
      if (params.find("rel=\"next\"") != std::string_view::npos || params.find("rel=next") != std::string_view::npos)
        return std::string(url);
      if (end == std::string_view::npos) break;
      s.remove_prefix(end);
    }
  }
  return {};
}

std::string query_encode(std::string_view s) {
  auto e = form_encode(s);
  std::string out;
  for (char c : e) out += c == '+' ? std::string("%20") : std::string(1, c);
  return out;
}

Result<HttpResponse> ManagementClient::send(HttpRequest req) {
  if (auto ok = check_url(req.url); !ok) return ok.error();
  req.headers.emplace_back("Accept", "application/json");
  if (tokens_) return tokens_->call(std::move(req));
  req.headers.emplace_back("Authorization", "SSWS " + std::string(api_token_.reveal()));
  return transport_->send(req);
}

namespace {
// "E0000007: Not found: Resource not found: x (App)" from an error envelope.
std::string envelope_detail(const HttpResponse& r) {
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec || !v.is_object()) return r.body.substr(0, 200);
  auto& o = v.as_object();
  std::string d;
  if (auto* c = o.if_contains("errorCode"); c && c->is_string()) d = std::string(c->as_string()) + ": ";
  if (auto* s = o.if_contains("errorSummary"); s && s->is_string()) d += std::string(s->as_string());
  if (auto* causes = o.if_contains("errorCauses"); causes && causes->is_array())
    for (auto& c : causes->as_array())
      if (c.is_object())
        if (auto* s = c.as_object().if_contains("errorSummary"); s && s->is_string())
          d += "; " + std::string(s->as_string());
  if (auto* e = o.if_contains("error"); d.empty() && e && e->is_string()) d = std::string(e->as_string());
  return d;
}

Result<json::value> body_of(const HttpResponse& r) {
  if (r.status < 200 || r.status > 299) return Error(Errc::http_status, r.status, envelope_detail(r));
  if (r.body.empty()) return json::value();
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec) return Error(Errc::bad_response, r.status, "not JSON");
  return v;
}
}  // namespace

Result<json::value> ManagementClient::request(std::string_view method, std::string_view path,
                                              const json::value* body) {
  HttpRequest req{std::string(method), path.starts_with("http") ? std::string(path) : org_url_ + std::string(path), {}, {}};
  if (body) {
    req.body = json::serialize(*body);
    req.headers.emplace_back("Content-Type", "application/json");
  }
  auto res = send(std::move(req));
  if (!res) return res.error();
  return body_of(*res);
}

Result<json::value> ManagementClient::request_body(std::string_view method, std::string_view path,
                                                   std::string content_type, std::string body) {
  HttpRequest req{std::string(method), org_url_ + std::string(path), {{"Content-Type", std::move(content_type)}},
                  std::move(body)};
  auto res = send(std::move(req));
  if (!res) return res.error();
  return body_of(*res);
}

Result<json::array> ManagementClient::list(std::string_view path, std::size_t max_items) {
  json::array out;
  std::string url = org_url_ + std::string(path);
  for (int pages = 0; !url.empty() && pages < 10000; ++pages) {
    auto res = send({"GET", url, {}, {}});
    if (!res) return res.error();
    auto v = body_of(*res);
    if (!v) return v.error();
    if (!v->is_array()) return Error(Errc::bad_response, res->status, "not a JSON array");
    for (auto& x : v->as_array()) {
      out.push_back(x);
      if (max_items && out.size() >= max_items) return out;
    }
    url = next_link(*res);
  }
  return out;
}

Result<json::array> ManagementClient::logs_page(std::string_view url, std::string* next_url) {
  auto res = send({"GET", std::string(url), {}, {}});
  if (!res) return res.error();
  auto v = body_of(*res);
  if (!v) return v.error();
  if (!v->is_array()) return Error(Errc::bad_response, res->status, "not a JSON array");
  if (next_url) *next_url = next_link(*res);
  return v->as_array();
}

Result<json::array> ManagementClient::logs(std::string_view since, std::string_view filter, std::size_t limit,
                                           std::string* next_url) {
  // okta-compat.md §2: ascending with no `until` is a polling query, whose pages always carry a
  // next link to resume from.
  std::string url = org_url_ + "/api/v1/logs?sortOrder=ASCENDING&limit=" + std::to_string(limit ? limit : 100);
  if (!since.empty()) url += "&since=" + query_encode(since);
  if (!filter.empty()) url += "&filter=" + query_encode(filter);
  return logs_page(url, next_url);
}

}  // namespace gh::sdk
