// The Beast HTTP/1.1 client behind sdk::Transport: TCP or TLS 1.2+ with the peer verified
// against the trust store and the host name (RFC 6125 via OpenSSL), SNI, one time limit for
// the whole exchange, a body size limit, no redirects.
#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <thread>

#include "gatehouse/client/http.hpp"

namespace gh::sdk {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

void ThreadSleeper::sleep_for(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

namespace {

struct Target : UrlParts {
  bool tls = false;
};

Result<Target> parse_target(std::string_view url) {
  if (auto ok = check_url(url); !ok) return ok.error();
  auto p = split_url(url);
  if (!p) return p.error();
  Target t;
  static_cast<UrlParts&>(t) = std::move(*p);
  t.tls = t.scheme == "https";
  return t;
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const HttpRequest& in, const Target& t,
                               std::size_t max_body, HttpResponse& out) {
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(in.method), t.target, 11};
  req.set(bhttp::field::host, t.host_header);
  req.set(bhttp::field::user_agent, "gatehouse-client/0.1");
  for (auto& [k, v] : in.headers) req.set(k, v);
  if (!in.body.empty() || in.method == "POST" || in.method == "PUT") {
    req.body() = in.body;
    req.prepare_payload();
  }
  co_await bhttp::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(max_body);
  if (in.method == "HEAD") parser.skip(true);
  co_await bhttp::async_read(stream, buf, parser, asio::use_awaitable);
  auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = std::move(res.body());
}

class BeastTransport final : public Transport {
 public:
  explicit BeastTransport(TransportOptions o) : opts_(std::move(o)) {}

  Result<HttpResponse> send(const HttpRequest& in) override {
    auto t = parse_target(in.url);
    if (!t) return t.error();
    HttpResponse out;
    std::string failure;
    bool done = false;
    asio::io_context ioc;  // after what the coroutine refers to: destroyed before them
    asio::co_spawn(ioc, run(ioc, in, *t, out),
                   [&](std::exception_ptr e) {
                     done = true;
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       failure = ex.what();
                       if (failure.empty()) failure = "failed";
                     }
                   });
    // The stream's own deadline covers connect, TLS and the exchange; this one covers DNS too.
    ioc.run_for(opts_.timeout + std::chrono::milliseconds(500));
    if (!done) failure = "timed out";
    if (!failure.empty()) return Error(Errc::transport_failed, 0, in.method + " " + t->host + ": " + failure);
    return out;
  }

 private:
  asio::awaitable<void> run(asio::io_context& ioc, const HttpRequest& in, const Target& t,
                            HttpResponse& out) {
    tcp::resolver resolver(ioc);
    beast::tcp_stream tcp_stream(ioc);
    tcp_stream.expires_after(opts_.timeout);
    auto addrs = co_await resolver.async_resolve(t.host, t.port, asio::use_awaitable);
    co_await tcp_stream.async_connect(addrs, asio::use_awaitable);
    if (!t.tls) {
      co_await exchange(tcp_stream, in, t, opts_.max_body_bytes, out);
      beast::error_code ec;
      tcp_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      co_return;
    }
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_options(asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                    asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3);
    ctx.set_verify_mode(asio::ssl::verify_peer);
    if (opts_.ca_file.empty()) {
      ctx.set_default_verify_paths();
    } else {
      ctx.load_verify_file(opts_.ca_file);
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), ctx);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str()))
      throw std::runtime_error("SNI");
    stream.set_verify_callback(asio::ssl::host_name_verification(t.host));
    co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    co_await exchange(stream, in, t, opts_.max_body_bytes, out);
    beast::error_code ec;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  TransportOptions opts_;
};

}  // namespace

std::shared_ptr<Transport> make_beast_transport(TransportOptions opts) {
  return std::make_shared<BeastTransport>(std::move(opts));
}

}  // namespace gh::sdk
