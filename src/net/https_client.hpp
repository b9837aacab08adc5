#pragma once
// An outbound HTTPS client for documents a client configured (issue #3: a jwks_uri), built to
// be pointed at attacker-chosen URLs:
// - https with peer verification against the system trust store, SNI and host-name (or IP)
//   verification, TLS 1.2 at least; http only to the hosts listed in allow_http_hosts;
// - one DNS resolution, every resolved address checked by the SSRF address policy
//   (http/address_policy.hpp), and the connection made only to those checked addresses (no
//   second resolution: DNS rebinding cannot slip in another address);
// - GET only, no redirects (3xx fails), only 200 succeeds, response size limited, and one time
//   limit for DNS + connect + TLS + response.
// Beast, Asio and OpenSSL stay in the .cpp (STYLE.md: heavy headers only where I/O happens).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/address_policy.hpp"

namespace gh::net {

struct HttpsClientOptions {
  std::chrono::milliseconds timeout{2000};  // DNS + connect + TLS + whole response (config: jwks_uri.timeout_seconds)
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::vector<std::string> allow_http_hosts;  // host names fetched over http (case-insensitive)
  // The address policy applied after resolution. The default is the production policy; the
  // client's own tests pass one that admits their loopback server (and only they do).
  std::function<bool(const http::IpAddress&)> address_allowed = http::is_public_unicast;
  std::string extra_trust_pem;  // PEM certificates trusted besides the system store (tests)
  bool use_system_trust = true;
};

struct FetchedDocument {
  std::string body;
  std::string content_type;
  std::string cache_control;
};

class HttpsClient {
 public:
  // Cheap: the TLS context (trust store) and the client's I/O thread start with the first get(),
  // so a server whose clients have no jwks_uri pays nothing for them.
  explicit HttpsClient(HttpsClientOptions opts);
  ~HttpsClient();  // stops the I/O thread
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // GET `url`; succeeds only with a 200 response within the limits. Blocks the caller for at
  // most about the time limit, even when DNS hangs. Errors: net::Errc (tls_failed also when the
  // trust store or extra_trust_pem cannot be loaded; logged once). Thread-safe.
  gh::Result<FetchedDocument> get(std::string_view url);

 private:
  struct Impl;
  Impl* started();

  HttpsClientOptions opts_;
  std::once_flag start_once_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gh::net
