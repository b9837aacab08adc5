// One connection of http::Server: the TLS handshake when TLS is on, the request loop, the answer
// and the close. The loop and the writer are templates on the stream: the plain one is the TCP
// stream itself (no indirection per read or write), the TLS one Beast's ssl_stream over it.
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <limits>
#include <string>
#include <type_traits>

#include "core/ids.hpp"
#include "core/random.hpp"
#include "core/swar.hpp"
#include "core/time_format.hpp"
#include "http/server/server_impl.hpp"
#include "http/url.hpp"

namespace gh::http {
namespace {
namespace bhttp = beast::http;
namespace ssl = net::ssl;
using TlsStream = beast::ssl_stream<Stream>;
using BeastResponse = bhttp::response<bhttp::string_body>;
template <class S>
constexpr bool kTls = std::is_same_v<S, TlsStream>;
constexpr std::chrono::seconds kCloseTime{2};  // lingering close; waiting for close_notify

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

// RFC 9112 §6.1-§6.3, RFC 9110 §8.6: a request's framing must be unambiguous, or a proxy in
// front of the server and the server may disagree on where it ends (request smuggling). Beast
// already refuses differing Content-Lengths and bad chunk syntax; this refuses what it accepts:
// both fields; Transfer-Encoding in HTTP/1.0 (§6.1: faulty framing; Beast reads it as chunked);
// Content-Length twice or as a list ("5, 5": RFC 9110 §8.6 allows, never requires, taking it);
// Transfer-Encoding twice or other than "chunked" alone (§6.3: chunked not last is 400; other
// codings are not implemented, 400 too). Beast has already replaced an obs-fold by a space (§5.2).
bool framing_ok(unsigned version, std::size_t te_fields, std::string_view te, std::size_t cl_fields,
                std::string_view cl) {
  if (te_fields && (cl_fields || version < 11)) return false;
  if (cl_fields > 1 || te_fields > 1) return false;
  if (cl_fields == 1 && (cl.empty() || cl.find_first_not_of("0123456789") != std::string_view::npos)) return false;
  if (te_fields == 1) {
    auto b = te.find_first_not_of(" \t"), e = te.find_last_not_of(" \t");
    if (b == std::string_view::npos || !iequals(te.substr(b, e - b + 1), "chunked")) return false;
  }
  return true;
}

// Lingering close: read and drop what the client still sends (bounded in bytes and time), so
// that closing with unread input does not reset the connection before it reads our answer.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): the session owns both
template <class S>
net::awaitable<void> drop_input(S& stream, Stream& lowest) {
  std::size_t drained = 0;
  char sink[16 * 1024];
  lowest.expires_after(kCloseTime);
  while (drained < 8 * 1024 * 1024) {
    auto [rec, rn] = co_await stream.async_read_some(net::buffer(sink));
    if (rec) break;
    drained += rn;
  }
}
}  // namespace

template <class S>
net::awaitable<bool> Server::Impl::write(S& stream, Response res, const std::string& rid, unsigned version,
                                         bool keep_alive, bool head) {
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
  // RFC 6797 §7.1: HSTS on every answer over TLS; §7.2: never over plain HTTP.
  if constexpr (kTls<S>) out.append("Strict-Transport-Security: max-age=31536000\r\n");
  if (res.status != 204 && res.status != 304) {
    out.append("Content-Length: ");
    append_number(out, res.body.size());
    out.append("\r\n");
  }
  // RFC 9112 §9.3: 1.1 keeps the connection unless told to close; 1.0 closes unless told to keep.
  if (version >= 11 && !keep) out.append("Connection: close\r\n");
  if (version < 11 && keep) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
  if constexpr (kTls<S>) {
    // Asio's TLS stream writes one buffer per record: the head and body go out as one record.
    if (!head) out.append(res.body);
    beast::get_lowest_layer(stream).expires_after(opts.write_timeout);
    auto [ec, n] = co_await net::async_write(stream, net::buffer(out));
    co_return !ec && keep;
  } else {
    std::array<net::const_buffer, 2> buffers{net::buffer(out), net::buffer(res.body.data(), head ? 0 : res.body.size())};
    // Most answers fit the socket's send buffer: one non-blocking send (plain_session made the
    // socket non-blocking) puts them on the wire with no write timer armed and cancelled and no
    // completion posted (issue 20). What does not fit (a slow reader, a large body) is written
    // asynchronously under write_timeout as before.
    boost::system::error_code sec;
    std::size_t sent = stream.socket().write_some(buffers, sec);
    if (sec && sec != net::error::would_block && sec != net::error::try_again && sec != net::error::interrupted)
      co_return false;
    if (sent == net::buffer_size(buffers)) co_return keep;
    beast::buffers_suffix<std::array<net::const_buffer, 2>> rest(buffers);
    rest.consume(sent);
    stream.expires_after(opts.write_timeout);
    auto [ec, n] = co_await net::async_write(stream, rest);
    co_return !ec && keep;
  }
}

// The request loop of one connection, plain or TLS; returns whether to linger before closing.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-reference-coroutine-parameters): the session owns both
template <class S>
net::awaitable<bool> Server::Impl::serve_requests(S& stream, Conn& conn) {
  auto& tcp_stream = beast::get_lowest_layer(stream);
  std::string remote_addr;
  {
    boost::system::error_code ec;
    auto ep = tcp_stream.socket().remote_endpoint(ec);
    if (!ec) remote_addr = ep.address().to_string();
  }
  // Bounded: a chunk header (its extensions, RFC 9112 §7.1.1) is not body, so Beast's body limit
  // does not count it; unbounded, one connection could grow this buffer for body_timeout (issue 19).
  beast::flat_buffer buffer(opts.header_limit + 64 * 1024);
  std::size_t max_body = 0;
  bool linger = false;
  for (;;) {
    if (stopping) break;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    tcp_stream.expires_after(opts.header_timeout);
    conn.busy = false;
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser);
    conn.busy = true;
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
    std::size_t fields = 0, hosts = 0, te_fields = 0, cl_fields = 0;
    std::string_view te, cl;
    bool proxy_connection = false;
    req.headers.reserve(16);
    for (auto& f : hreq) {
      ++fields;
      // Beast's parser has matched each name to its field (case-insensitively) already.
      switch (f.name()) {
        case bhttp::field::host: ++hosts, req.host = f.value(); break;
        case bhttp::field::transfer_encoding: ++te_fields, te = f.value(); break;
        case bhttp::field::content_length: ++cl_fields, cl = f.value(); break;
        case bhttp::field::proxy_connection: proxy_connection = true; break;
        default: break;
      }
      req.headers.emplace_back(f.name_string(), f.value());
    }
    // RFC 9112 §9.3 from the parser's flags, set as it read Connection (no second parse of the
    // field); it also reads Proxy-Connection, which the message's own check ignores: then that one.
    bool keep_alive = proxy_connection ? hreq.keep_alive() : parser.keep_alive();
    int reject = 0;
    if (fields > opts.max_header_fields) reject = 431;                        // §11.7
    else if (raw_path.empty() || raw_path.front() != '/') reject = 400;
    else if (hosts > 1 || (hosts == 0 && hreq.version() >= 11)) reject = 400;  // RFC 9112 §3.2
    else if (!framing_ok(hreq.version(), te_fields, te, cl_fields, cl)) reject = 400;  // RFC 9112 §6.3
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
        tcp_stream.expires_after(opts.write_timeout);
        auto [wec, wn] = co_await bhttp::async_write(stream, cont);
        if (wec) break;
      }
      tcp_stream.expires_after(opts.body_timeout);
      // A small body usually arrives with its header: parse what the buffer holds first, and
      // read asynchronously only if more is due (an asynchronous read that completes at once
      // still costs a posted completion; issue 20). Beast's read does the same put().
      boost::system::error_code bec;
      while (!parser.is_done() && buffer.size() > 0) {
        auto used = parser.put(buffer.data(), bec);
        buffer.consume(used);
        if (bec == bhttp::error::need_more) bec = {};
        if (bec || used == 0) break;
      }
      if (!bec && !parser.is_done()) {
        auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser);
        bec = rec;
      }
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
      // the writer thread when handle() may block on the store, or the outbound lane when it
      // waits on a shared store over the network (many nodes on PostgreSQL).
      if (service.is_blocking(req)) res = co_await on_writer(req);
      else if (service.waits_on_network(req)) res = co_await on_outbound(req);
      else res = service.handle(req);
      if (res.needs_outbound) res = co_await after_outbound(req);
    } catch (const std::exception& e) {
      spdlog::error("request failed request_id={} error=\"{}\"", rid, e.what());
      res = service.transport_error(500, rid);
    }
    bool keep = co_await write(stream, std::move(res), rid, hreq.version(),
                               keep_alive && !stopping, req.method == Method::head);
    if (!keep) break;
  }
  co_return linger;
}

net::awaitable<void> Server::Impl::plain_session(Stream stream, std::shared_ptr<Conn> conn) {
  conn->stream = &stream;
  // Synchronous sends never wait (write()'s first attempt); the asynchronous operations are
  // non-blocking underneath whatever this says.
  boost::system::error_code nb;
  stream.socket().non_blocking(true, nb);
  if (nb) {
    release(conn);
    co_return;
  }
  bool linger = co_await serve_requests(stream, *conn);
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (linger) co_await drop_input(stream, stream);
  release(conn);
}

// RFC 8446 §4 (TLS 1.3), RFC 5246 §7 (1.2): the handshake, bounded like a header read; then the
// requests; then close_notify (RFC 8446 §6.1), bounded too (a peer that never answers it).
net::awaitable<void> Server::Impl::tls_session(Stream tcp_stream, std::shared_ptr<Conn> conn,
                                               std::shared_ptr<tls::Context> ctx) {
  TlsStream stream(std::move(tcp_stream), *ctx);  // ctx (the pair at accept) outlives the stream
  auto& lowest = beast::get_lowest_layer(stream);
  conn->stream = &lowest;
  lowest.expires_after(opts.header_timeout);
  auto [hec] = co_await stream.async_handshake(ssl::stream_base::server);
  if (hec) {
    // Plain HTTP, TLS 1.0/1.1, no shared cipher, a scanner: the connection closes, nothing else.
    spdlog::debug("tls handshake refused peer={} error=\"{}\"", conn->address, hec.message());
  } else {
    bool linger = co_await serve_requests(stream, *conn);
    if (linger) co_await drop_input(stream, lowest);
    lowest.expires_after(kCloseTime);
    co_await stream.async_shutdown();
  }
  boost::system::error_code ignored;
  lowest.socket().shutdown(tcp::socket::shutdown_both, ignored);
  release(conn);
}

void Server::Impl::release(const std::shared_ptr<Conn>& conn) {
  conn->stream = nullptr;
  std::lock_guard lk(conns_mu);
  conns.erase(conn);
  if (auto it = conns_by_address.find(conn->address); it != conns_by_address.end() && --it->second == 0)
    conns_by_address.erase(it);
}

}  // namespace gh::http
