#include "http/server/server.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <stdexcept>
#include <thread>

#include "core/address_key.hpp"
#include "http/server/server_impl.hpp"

namespace gh::http {

// kStrand: each connection on a strand of its own (several I/O threads), the accepted socket typed
// on the strand; otherwise on the io_context's executor, whose single thread already runs a
// connection's handlers one at a time (no strand queue, lock and hop per completion: issue 20).
// The executor is a named value chosen at compile time. GCC 12 destroys the temporaries of both
// operands of a `?:` inside a co_await expression, one of them never constructed: choosing
// `any_io_executor(strand) : any_io_executor(executor)` there corrupted the heap (issue 20).
template <bool kStrand>
net::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    auto peer_ex = [this] {
      if constexpr (kStrand) return net::make_strand(ioc);
      else return ioc.get_executor();
    }();
    auto [ec, sock] = co_await acceptor.async_accept(peer_ex, net::as_tuple(net::use_awaitable));
    if (ec) {
      if (stopping || ec == net::error::operation_aborted) co_return;
      continue;
    }
    boost::system::error_code ignored;
    auto peer = sock.remote_endpoint(ignored);
    auto conn = std::make_shared<Conn>();
    conn->address = ignored ? std::string() : core::address_key(peer.address().to_string());
    {
      // Past either limit the socket closes on scope exit: the server's, and one source
      // address's (IPv6 per /64), so that one client cannot hold every slot (issue 19).
      std::lock_guard lk(conns_mu);
      if (conns.size() >= opts.max_connections) continue;
      auto& mine = conns_by_address[conn->address];
      if (mine >= opts.max_connections_per_address) continue;
      ++mine;
      conns.insert(conn);
    }
    sock.set_option(tcp::no_delay(true), ignored);
    conn->ex = sock.get_executor();
    auto failed = [](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          spdlog::error("http session failed error=\"{}\"", x.what());
        }
      }
    };
    // Each connection takes the TLS pair current at its accept and keeps it (reload on SIGHUP).
    if (tls) net::co_spawn(conn->ex, tls_session(Stream(std::move(sock)), conn, tls->current()), failed);
    else net::co_spawn(conn->ex, plain_session(Stream(std::move(sock)), conn), failed);
  }
}

// handle() on the writer thread.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): req lives in session()
net::awaitable<Response> Server::Impl::on_writer(Request& req) {
  co_return co_await net::co_spawn(
      blocking, [&]() -> net::awaitable<Response> { co_return service.handle(req); }, net::use_awaitable);
}

// handle() on the outbound lane: a request whose answer waits on a shared store of many nodes
// (Service::waits_on_network), so that no I/O thread waits on the network.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): req lives in session()
net::awaitable<Response> Server::Impl::on_outbound(Request& req) {
  co_return co_await net::co_spawn(
      outbound, [&]() -> net::awaitable<Response> { co_return service.handle(req); }, net::use_awaitable);
}

// handle() answered needs_outbound: prepare_outbound() on the outbound lane (the session suspends;
// its I/O thread serves others meanwhile), then handle() once more on the usual lane. That answer
// is final, so a request makes at most one outbound trip.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): req lives in session()
net::awaitable<Response> Server::Impl::after_outbound(Request& req) {
  co_await net::co_spawn(
      outbound, [&]() -> net::awaitable<void> { service.prepare_outbound(req); co_return; },
      net::use_awaitable);
  Response res;
  if (service.is_blocking(req)) res = co_await on_writer(req);
  else if (service.waits_on_network(req)) res = co_await on_outbound(req);
  else res = service.handle(req);
  res.needs_outbound = false;
  co_return res;
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  tick_timer.cancel();
  std::lock_guard lk(conns_mu);
  for (auto& c : conns)
    net::post(c->ex, [c] {
      if (c->stream && !c->busy) c->stream->socket().cancel();  // idle: waiting for a request
    });
}

void Server::Impl::drain(std::chrono::steady_clock::time_point deadline) {
  auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(20));
  timer->async_wait([this, timer, deadline](boost::system::error_code) {
    std::size_t left;
    {
      std::lock_guard lk(conns_mu);
      left = conns.size();
    }
    if (left == 0 || std::chrono::steady_clock::now() > deadline) {
      ioc.stop();
      return;
    }
    drain(deadline);
  });
}

void Server::Impl::schedule_tick() {
  tick_timer.expires_after(opts.tick);
  tick_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || stopping) return;
    if (on_tick) net::post(blocking, on_tick);
    schedule_tick();
  });
}

// SIGHUP: the TLS pair is read again from its files (issue 19). New connections take the new
// one; established ones keep theirs; a pair load() refuses is logged and the current one kept.
void Server::Impl::watch_sighup(net::signal_set& hup) {
  hup.async_wait([this, &hup](boost::system::error_code ec, int) {
    if (ec || stopping) return;
    auto next = tls->reload();
    if (next.context) spdlog::info("tls: reloaded the certificate and key; new connections use {}", next.certificate);
    else spdlog::error("tls: reload refused, the current certificate stays: {}", next.error);
    watch_sighup(hup);
  });
}

Server::Server(ServerOptions opts, Service& service, Lane& writer, Lane& outbound)
    : impl_(std::make_unique<Impl>(std::move(opts), service, writer, outbound)) {
  auto& o = impl_->opts;
  if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
    impl_->tls = std::make_unique<tls::Contexts>(o.tls_cert_file, o.tls_key_file);
    spdlog::info("tls: TLS 1.2 and 1.3 with {}", impl_->tls->first_certificate());
  }
}

std::string Server::check_tls(const std::string& cert_file, const std::string& key_file) {
  auto loaded = tls::load(cert_file, key_file);
  return loaded.context ? std::string() : "TLS: " + loaded.error;
}

bool Server::tls() const { return impl_->tls != nullptr; }

Server::~Server() = default;

void Server::bind() {
  auto& a = impl_->acceptor;
  boost::system::error_code ec;
  auto addr = net::ip::make_address(impl_->opts.host, ec);
  if (ec) throw std::runtime_error("bad listen address: " + impl_->opts.host);
  tcp::endpoint ep{addr, impl_->opts.port};
  a.open(ep.protocol());
  a.set_option(net::socket_base::reuse_address(true));
  a.bind(ep, ec);
  if (ec) throw std::runtime_error("cannot listen on " + impl_->opts.host + ": " + ec.message());
  a.listen(net::socket_base::max_listen_connections);
}

std::string Server::bound_address() const {
  auto ep = impl_->acceptor.local_endpoint();
  auto host = ep.address().to_string();
  if (ep.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(ep.port());
}

void Server::run(std::function<void()> on_tick) {
  auto& s = *impl_;
  s.on_tick = std::move(on_tick);
  net::signal_set signals(s.ioc, SIGINT, SIGTERM);
  signals.async_wait([&s](boost::system::error_code ec, int) {
    if (ec) return;
    s.begin_shutdown();
    s.drain(std::chrono::steady_clock::now() + s.opts.drain_timeout);
  });
  // Without TLS, SIGHUP keeps its default effect (as before TLS existed).
  net::signal_set hup(s.ioc);
  if (s.tls) {
    hup.add(SIGHUP);
    s.watch_sighup(hup);
  }
  if (s.io_threads == 1) net::co_spawn(s.ioc, s.accept_loop<false>(), net::detached);
  else net::co_spawn(s.ioc, s.accept_loop<true>(), net::detached);
  s.schedule_tick();
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < s.io_threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : threads) t.join();
  s.outbound.join();
  s.blocking.join();
}

void Server::stop() {
  net::post(impl_->ioc, [this] {
    impl_->begin_shutdown();
    impl_->drain(std::chrono::steady_clock::now() + impl_->opts.drain_timeout);
  });
}

}  // namespace gh::http
