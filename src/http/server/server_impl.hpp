#pragma once
// Server::Impl, shared by server.cpp (accept, lanes, shutdown, signals) and session.cpp (one
// connection: TLS handshake, requests, answers). For src/http/server/ only.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "http/server/lane_impl.hpp"
#include "http/server/server.hpp"
#include "http/server/tls.hpp"

namespace gh::http {
namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using Executor = net::as_tuple_t<net::use_awaitable_t<>>::executor_with_default<net::any_io_executor>;
using Stream = beast::tcp_stream::rebind_executor<Executor>::other;  // a connection's TCP side

struct Conn {
  Stream* stream = nullptr;  // the TCP stream (below TLS if any); null once the session ended;
                             // touched only on the conn's executor (`ex`)
  bool busy = false;
  net::any_io_executor ex;  // the connection's strand, or the io_context's executor (one I/O thread)
  std::string address;  // core::address_key of the peer: its per-address count (issue 19)
};

struct Server::Impl {
  Impl(ServerOptions o, Service& s, Lane& w, Lane& out)
      : opts(std::move(o)), service(s), blocking(w.impl_->pool), outbound(out.impl_->pool) {}
  ServerOptions opts;
  Service& service;
  // opts.threads, or one per core. With one I/O thread that thread alone runs every handler, so a
  // connection needs no strand (accept_loop<false>); with more, each connection has one.
  unsigned io_threads = opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  // One I/O thread: the scheduler need not wake other threads for more work (the lanes still
  // post completions from their threads, so it keeps its locking: hint 1, not UNSAFE).
  net::io_context ioc{io_threads == 1 ? 1 : BOOST_ASIO_CONCURRENCY_HINT_DEFAULT};
  tcp::acceptor acceptor{ioc};
  net::thread_pool& blocking;  // the writer lane: SQLite writes are serialised
  // Requests whose answer waits on outbound I/O (a client's jwks_uri): only these threads wait
  // on the network, so neither the I/O threads nor the writer ever do.
  net::thread_pool& outbound;
  std::unique_ptr<tls::Contexts> tls;  // null: plain HTTP
  std::atomic<bool> stopping{false};
  std::mutex conns_mu;
  std::unordered_set<std::shared_ptr<Conn>> conns;
  std::unordered_map<std::string, std::size_t> conns_by_address;  // under conns_mu
  net::steady_timer tick_timer{ioc};
  std::function<void()> on_tick;

  template <bool kStrand>
  net::awaitable<void> accept_loop();
  // One connection each (session.cpp): both run the same request loop, templated on the stream.
  net::awaitable<void> plain_session(Stream stream, std::shared_ptr<Conn> conn);
  net::awaitable<void> tls_session(Stream stream, std::shared_ptr<Conn> conn, std::shared_ptr<tls::Context> ctx);
  template <class S>
  net::awaitable<bool> serve_requests(S& stream, Conn& conn);  // true: linger before closing
  template <class S>
  net::awaitable<bool> write(S& stream, Response res, const std::string& rid, unsigned version, bool keep_alive,
                             bool head);
  void release(const std::shared_ptr<Conn>& conn);
  net::awaitable<Response> on_writer(Request& req);
  net::awaitable<Response> on_outbound(Request& req);  // Service::waits_on_network
  net::awaitable<Response> after_outbound(Request& req);
  void begin_shutdown();
  void drain(std::chrono::steady_clock::time_point deadline);
  void schedule_tick();
  void watch_sighup(net::signal_set& hup);
};

}  // namespace gh::http
