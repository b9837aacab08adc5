#pragma once
// The HTTP/1.1 server: Beast + Asio C++20 coroutines, one coroutine per connection.
// Beast, Asio and OpenSSL's TLS appear only in this folder's .cpp files and its internal headers
// (server_impl.hpp, tls.hpp, lane_impl.hpp) (STYLE.md: keep the heavy headers where I/O happens).
// Three lanes run Service code: the I/O threads (handle() inline), the single writer thread
// (handle() when is_blocking), and the outbound lane (prepare_outbound(), when handle() answered
// needs_outbound). Only the outbound lane ever waits on the network.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "http/server/lane.hpp"
#include "http/service.hpp"

namespace gh::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  unsigned threads = 0;                       // 0 = one per core
  std::size_t header_limit = 16 * 1024;       // request line + fields (okta-compat.md §11.7)
  std::size_t max_header_fields = 100;        // §11.7
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_address = 1000;  // one peer (IPv6 per /64)
  std::chrono::seconds header_timeout{15};    // idle keep-alive and header read (slow clients)
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds drain_timeout{10};     // graceful shutdown
  std::chrono::milliseconds tick{1000};       // how often run()'s on_tick runs
  std::string request_id_header = "X-Request-Id";
  // TLS (issue 19): both set, or neither (plain HTTP). PEM files: the certificate chain, leaf
  // first, and its private key (mode 0600 or 0400). Read at construction and again on SIGHUP.
  std::string tls_cert_file;
  std::string tls_key_file;
};

class Server {
 public:
  // `writer` runs handle() for blocking requests and the tick (one thread: store writes are
  // serialised); `outbound` runs prepare_outbound(). Both outlive the server; run() joins them.
  // Throws std::runtime_error when the TLS pair is refused (see check_tls).
  Server(ServerOptions opts, Service& service, Lane& writer, Lane& outbound);
  ~Server();
  // Whether this pair would be accepted: "" or why not (a missing or unreadable file, a key open
  // to group or others, a key that is not the certificate's), for a clear refusal at start.
  static std::string check_tls(const std::string& cert_file, const std::string& key_file);
  bool tls() const;
  // Binds and listens; throws std::runtime_error when the address cannot be bound.
  void bind();
  std::string bound_address() const;  // "HOST:PORT" after bind()
  // Serves until SIGTERM/SIGINT (or stop()), then stops accepting, drains in-flight requests
  // and returns. With TLS, SIGHUP reloads the certificate and key. `on_tick` runs every ServerOptions::tick on the writer lane (background jobs).
  void run(std::function<void()> on_tick = {});
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gh::http
