#include "http/server/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <charconv>
#include <csignal>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/address_key.hpp"
#include "core/ids.hpp"
#include "core/random.hpp"
#include "core/swar.hpp"
#include "core/time_format.hpp"
#include "http/server/lane_impl.hpp"
#include "http/url.hpp"

namespace gh::http {
namespace {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using Executor = net::as_tuple_t<net::use_awaitable_t<>>::executor_with_default<net::any_io_executor>;
using Stream = beast::tcp_stream::rebind_executor<Executor>::other;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

Method to_method(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get: return Method::get;
    case bhttp::verb::head: return Method::head;
    case bhttp::verb::post: return Method::post;
    case bhttp::verb::put: return Method::put;
    case bhttp::verb::delete_: return Method::delete_;
    case bhttp::verb::patch: return Method::patch;
    case bhttp::verb::options: return Method::options;
    default: return Method::other;
  }
}

const std::string& http_date_now() {
  thread_local std::int64_t cached_sec = -1;
  thread_local std::string cached;
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (now.time_since_epoch().count() != cached_sec) {
    cached_sec = now.time_since_epoch().count();
    cached = core::format_http_date(now);
  }
  return cached;
}

void append_number(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [end, _] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// RFC 9110 §5.5: CR, LF and NUL never belong in a field; a value carrying one (a handler's bug) is
// sent with spaces in their place rather than split into a second field.
bool field_safe(std::string_view value) {
  for (std::size_t i = 0; i < value.size(); i += 8) {  // 8 bytes at a time (core/swar.hpp)
    auto w = core::swar::load(value, i, ' ');
    if (core::swar::byte_mask(w, '\r') | core::swar::byte_mask(w, '\n') | core::swar::byte_mask(w, 0)) return false;
  }
  return true;
}
void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ");
  if (field_safe(value)) {
    out.append(value);
  } else {
    for (char c : value) out += (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
  }
  out.append("\r\n");
}

std::string new_request_id() {
  thread_local core::SeededRandom rng = [] {
    std::uint64_t seed = 0;
    core::SecureRandom{}.fill({reinterpret_cast<std::uint8_t*>(&seed), sizeof seed});
    return core::SeededRandom{seed};
  }();
  return core::new_request_id(rng);
}

struct Conn {
  Stream* stream = nullptr;  // null once the session ended; touched only on the conn's strand
  bool busy = false;
  net::any_io_executor ex;
  std::string address;  // core::address_key of the peer: its per-address count (issue 19)
};
}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Service& s, Lane& w, Lane& out)
      : opts(std::move(o)), service(s), blocking(w.impl_->pool), outbound(out.impl_->pool) {}
  ServerOptions opts;
  Service& service;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::thread_pool& blocking;  // the writer lane: SQLite writes are serialised
  // Requests whose answer waits on outbound I/O (a client's jwks_uri): only these threads wait
  // on the network, so neither the I/O threads nor the writer ever do.
  net::thread_pool& outbound;
  std::atomic<bool> stopping{false};
  std::mutex conns_mu;
  std::unordered_set<std::shared_ptr<Conn>> conns;
  std::unordered_map<std::string, std::size_t> conns_by_address;  // under conns_mu
  net::steady_timer tick_timer{ioc};
  std::function<void()> on_tick;

  net::awaitable<void> accept_loop();
  net::awaitable<void> session(Stream stream, std::shared_ptr<Conn> conn);
  net::awaitable<Response> on_writer(Request& req);
  net::awaitable<Response> after_outbound(Request& req);
  net::awaitable<bool> write(Stream& stream, Response res, const std::string& rid, unsigned version,
                             bool keep_alive, bool head);
  void begin_shutdown();
  void drain(std::chrono::steady_clock::time_point deadline);
  void schedule_tick();
};

net::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    auto [ec, sock] = co_await acceptor.async_accept(net::make_strand(ioc), net::as_tuple(net::use_awaitable));
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
    net::co_spawn(conn->ex, session(Stream(std::move(sock)), conn), [](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          spdlog::error("http session failed error=\"{}\"", x.what());
        }
      }
    });
  }
}

net::awaitable<bool> Server::Impl::write(Stream& stream, Response res, const std::string& rid,
                                         unsigned version, bool keep_alive, bool head) {
  // The head is rendered into one buffer and sent with the body in one gathered write (RFC 9112
  // §4, §6). Beast's serializer walked a view over every field for each write: about 25k
  // instructions a response (callgrind), a fifth of a small list request's cost.
  bool keep = keep_alive && !res.close;
  std::string out;
  out.reserve(160 + res.content_type.size() + opts.request_id_header.size() + rid.size());
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  append_number(out, static_cast<std::uint64_t>(res.status));
  out += ' ';
  out.append(bhttp::obsolete_reason(static_cast<bhttp::status>(res.status)));
  out.append("\r\n");
  append_field(out, "Date", http_date_now());
  append_field(out, opts.request_id_header, rid);
  if (!res.content_type.empty()) append_field(out, "Content-Type", res.content_type);
  for (auto& [k, v] : res.headers) append_field(out, k, v);
  if (res.status != 204 && res.status != 304) {
    out.append("Content-Length: ");
    append_number(out, res.body.size());
    out.append("\r\n");
  }
  // RFC 9112 §9.3: 1.1 keeps the connection unless told to close; 1.0 closes unless told to keep.
  if (version >= 11 && !keep) out.append("Connection: close\r\n");
  if (version < 11 && keep) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
  std::array<net::const_buffer, 2> buffers{net::buffer(out), net::buffer(res.body.data(), head ? 0 : res.body.size())};
  stream.expires_after(opts.write_timeout);
  auto [ec, n] = co_await net::async_write(stream, buffers);
  co_return !ec && keep;
}

// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): Impl outlives sessions
net::awaitable<void> Server::Impl::session(Stream stream, std::shared_ptr<Conn> conn) {
  conn->stream = &stream;
  std::string remote_addr;
  {
    boost::system::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) remote_addr = ep.address().to_string();
  }
  beast::flat_buffer buffer;
  std::size_t max_body = 0;
  bool linger = false;
  for (;;) {
    if (stopping) break;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    stream.expires_after(opts.header_timeout);
    conn->busy = false;
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser);
    conn->busy = true;
    auto rid = new_request_id();
    if (ec) {
      int status = 0;
      if (ec == bhttp::error::header_limit) status = 431;  // okta-compat.md §11.7
      else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
               ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
        status = 400;
      if (status) co_await write(stream, service.transport_error(status, rid), rid, 11, false, false);
      break;
    }
    auto& hreq = parser.get();
    Request req;
    req.method = to_method(hreq.method());
    req.request_id = rid;
    auto target = hreq.target();
    auto q = target.find('?');
    auto raw_path = target.substr(0, q);
    if (q != std::string_view::npos) {
      auto rest = target.substr(q + 1);
      req.query = rest.substr(0, rest.find('#'));
    }
    req.path = normalize_path(raw_path);
    std::size_t fields = 0, hosts = 0;
    bool has_te = false, has_cl = false;
    for (auto& f : hreq) {
      ++fields;
      auto name = f.name_string();
      if (iequals(name, "host")) ++hosts, req.host = f.value();
      if (iequals(name, "transfer-encoding")) has_te = true;
      if (iequals(name, "content-length")) has_cl = true;
      req.headers.emplace_back(name, f.value());
    }
    int reject = 0;
    if (fields > opts.max_header_fields) reject = 431;                        // §11.7
    else if (raw_path.empty() || raw_path.front() != '/') reject = 400;
    else if (hosts > 1 || (hosts == 0 && hreq.version() >= 11)) reject = 400;  // RFC 9112 §3.2
    else if (has_te && has_cl) reject = 400;                                    // RFC 9112 §6.3
    auto limit = service.body_limit(req.path);
    if (!reject && parser.content_length() && *parser.content_length() > limit) reject = 413;
    if (reject) {
      co_await write(stream, service.transport_error(reject, rid), rid, hreq.version(), false, false);
      linger = true;  // the client may still be sending the body it announced
      break;
    }
    parser.body_limit(limit);
    if (!parser.is_done()) {
      if (iequals(hreq[bhttp::field::expect], "100-continue")) {
        BeastResponse cont{bhttp::status::continue_, hreq.version()};
        stream.expires_after(opts.write_timeout);
        auto [wec, wn] = co_await bhttp::async_write(stream, cont);
        if (wec) break;
      }
      stream.expires_after(opts.body_timeout);
      auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser);
      if (bec) {
        int status = bec == bhttp::error::body_limit ? 413 : 400;
        if (bec != beast::error::timeout && bec != net::error::eof) {
          co_await write(stream, service.transport_error(status, rid), rid, hreq.version(), false, false);
          linger = true;
        }
        break;
      }
      max_body = std::max(max_body, hreq.body().size());
    }
    req.body = hreq.body();
    req.remote_addr = remote_addr;
    Response res;
    try {
      // The usual lane: inline on this I/O thread (no hop: the hot paths read only memory), or
      // the writer thread when handle() may block on the store.
      if (service.is_blocking(req)) res = co_await on_writer(req);
      else res = service.handle(req);
      if (res.needs_outbound) res = co_await after_outbound(req);
    } catch (const std::exception& e) {
      spdlog::error("request failed request_id={} error=\"{}\"", rid, e.what());
      res = service.transport_error(500, rid);
    }
    bool keep = co_await write(stream, std::move(res), rid, hreq.version(),
                               hreq.keep_alive() && !stopping, req.method == Method::head);
    if (!keep) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (linger) {
    // Lingering close: read and drop what the client still sends (bounded in bytes and time), so
    // that closing with unread input does not reset the connection before it reads our answer.
    std::size_t drained = 0;
    char sink[16 * 1024];
    stream.expires_after(std::chrono::seconds(2));
    while (drained < 8 * 1024 * 1024) {
      auto [rec, rn] = co_await stream.async_read_some(net::buffer(sink));
      if (rec) break;
      drained += rn;
    }
  }
  conn->stream = nullptr;
  std::lock_guard lk(conns_mu);
  conns.erase(conn);
  if (auto it = conns_by_address.find(conn->address); it != conns_by_address.end() && --it->second == 0)
    conns_by_address.erase(it);
}

// handle() on the writer thread.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): req lives in session()
net::awaitable<Response> Server::Impl::on_writer(Request& req) {
  co_return co_await net::co_spawn(
      blocking, [&]() -> net::awaitable<Response> { co_return service.handle(req); }, net::use_awaitable);
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

Server::Server(ServerOptions opts, Service& service, Lane& writer, Lane& outbound)
    : impl_(std::make_unique<Impl>(std::move(opts), service, writer, outbound)) {}

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
  net::co_spawn(s.ioc, s.accept_loop(), net::detached);
  s.schedule_tick();
  unsigned n = s.opts.threads ? s.opts.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < n; ++i) threads.emplace_back([&s] { s.ioc.run(); });
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
