#pragma once
// The transport seam: the SDK speaks HTTP through this interface, so tests fake it and the Beast
// client (make_beast_transport) stays the only code that includes Beast and Asio.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gatehouse/client/error.hpp"

namespace gh::sdk {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  // The first header of this name (case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // One exchange. Errors: transport_failed, bad_url, insecure_url. Thread-safe.
  virtual Result<HttpResponse> send(const HttpRequest& req) = 0;
};

struct TransportOptions {
  std::chrono::milliseconds timeout{10000};  // connect + TLS + whole response
  std::size_t max_body_bytes = 4 * 1024 * 1024;
  std::string ca_file;  // PEM bundle trusted instead of the system store (optional)
};

// HTTP/1.1 over TCP or TLS (peer and host name verified, SNI). http:// only to loopback hosts.
// One connection per request; no redirects are followed.
std::shared_ptr<Transport> make_beast_transport(TransportOptions opts = {});

// Sleeping is injected so that retry timing is testable.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void sleep_for(std::chrono::milliseconds d) = 0;
};
class ThreadSleeper final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds d) override;
};

// URL checks shared by the clients: an absolute http(s) URL whose scheme is https, or http to a
// loopback host (127.0.0.0/8, ::1, localhost). Errors: bad_url, insecure_url.
Result<void> check_url(std::string_view url);
struct UrlParts {
  std::string scheme;       // "http" or "https"
  std::string host;         // without brackets
  std::string port;         // explicit or the scheme's default
  std::string target;       // path and query, "/" at least
  std::string host_header;  // host[:port] as written
};
// An absolute http(s) URL split for a request. Errors: bad_url.
Result<UrlParts> split_url(std::string_view url);
// The URL without query and fragment (RFC 9449 §4.2 "htu").
std::string url_without_query(std::string_view url);
// application/x-www-form-urlencoded component encoding (RFC 6749 Appendix B).
std::string form_encode(std::string_view s);

}  // namespace gh::sdk
