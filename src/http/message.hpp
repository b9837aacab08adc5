#pragma once
// Transport-independent request and response (no Beast here: STYLE.md §2 rule 3).
// A Request's views point into the connection's buffers and live as long as the exchange.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gh::http {

enum class Method { get, head, post, put, delete_, patch, options, other };
std::string_view to_string(Method m);

struct Request {
  Method method = Method::other;
  std::string path;        // percent-encoded, repeated '/' collapsed (okta-compat.md §1.2)
  std::string_view query;  // raw, after '?', without '#'
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;
  std::string remote_addr;
  std::string request_id;  // assigned by the server for X-Okta-Request-Id
  std::string_view host;   // the Host header

  std::string_view header(std::string_view name) const;  // case-insensitive; "" when absent
  bool has_header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type;  // empty: no Content-Type (empty bodies, okta-compat.md §1.4)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // close the connection after sending
  // The handler could not decide without outbound network I/O, which it must not wait for on
  // this thread. The server then runs Service::prepare_outbound on its outbound lane and calls
  // handle() once more; this response (a complete answer) is sent if it is asked again.
  bool needs_outbound = false;

  Response& set(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  static Response json(int status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
  }
  static Response empty(int status) {
    Response r;
    r.status = status;
    return r;
  }
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace gh::http
