#pragma once
// The HTTP/1.1 server: Beast + Asio C++20 coroutines, one coroutine per connection.
// Beast and Asio appear only in server.cpp (STYLE.md: keep the heavy headers where I/O happens).
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
};

class Server {
 public:
  // `writer` runs handle() for blocking requests and the tick (one thread: store writes are
  // serialised); `outbound` runs prepare_outbound(). Both outlive the server; run() joins them.
  Server(ServerOptions opts, Service& service, Lane& writer, Lane& outbound);
  ~Server();
  // Binds and listens; throws std::runtime_error when the address cannot be bound.
  void bind();
  std::string bound_address() const;  // "HOST:PORT" after bind()
  // Serves until SIGTERM/SIGINT (or stop()), then stops accepting, drains in-flight requests
  // and returns. `on_tick` runs every ServerOptions::tick on the writer lane (background jobs).
  void run(std::function<void()> on_tick = {});
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gh::http
