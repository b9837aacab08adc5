#include "net/https_client.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>

#include <netdb.h>
#include <sys/socket.h>

#include <atomic>
#include <cstring>
#include <future>
#include <stdexcept>
#include <thread>

#include "http/message.hpp"
#include "http/url.hpp"
#include "net/errc.hpp"

namespace gh::net {
namespace {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

struct Target {
  bool tls = true;
  std::string host;  // lower-case host name, or the text of an IP literal (no brackets)
  bool host_is_ip = false;
  std::string port;
  std::string host_header;
  std::string path;  // origin-form request target (RFC 9112 §3.2.1)
};

Result<Target> parse_target(std::string_view url, const std::vector<std::string>& allow_http_hosts) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) return Errc::bad_url;
  Target t;
  auto scheme = http::ascii_lower(u->scheme());
  if (scheme != "https" && scheme != "http") return Errc::bad_url;
  t.tls = scheme == "https";
  if (u->has_userinfo() || u->has_fragment()) return Errc::bad_url;
  switch (u->host_type()) {
    case boost::urls::host_type::name: {
      auto h = http::ascii_lower(u->encoded_host());
      if (!h.empty() && h.back() == '.') h.pop_back();  // one root label dot
      if (h.empty() || h.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") != std::string::npos)
        return Errc::bad_url;
      t.host = h;
      t.host_header = h;
      break;
    }
    case boost::urls::host_type::ipv4:
      t.host = u->host_ipv4_address().to_string();
      t.host_is_ip = true;
      t.host_header = t.host;
      break;
    case boost::urls::host_type::ipv6:
      t.host = u->host_ipv6_address().to_string();
      t.host_is_ip = true;
      t.host_header = "[" + t.host + "]";
      break;
    default: return Errc::bad_url;
  }
  // okta-compat.md §11.23: http only to a host the operator listed.
  if (!t.tls && !http::is_http_allowed(t.host, allow_http_hosts)) return Errc::scheme_not_allowed;
  if (u->has_port()) {
    auto n = http::parse_port(u->port());
    if (!n) return Errc::bad_url;
    t.port = std::to_string(*n);
    t.host_header += ":" + t.port;
  } else {
    t.port = t.tls ? "443" : "80";
  }
  t.path = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
  if (t.path.front() != '/') return Errc::bad_url;
  if (u->has_query()) t.path += "?" + std::string(u->encoded_query());
  return t;
}

http::IpAddress to_ip(const asio::ip::address& a) {
  if (a.is_v4()) return http::IpAddress::v4(a.to_v4().to_uint());
  return http::IpAddress::v6(a.to_v6().to_bytes());
}

using Endpoints = std::vector<tcp::endpoint>;
constexpr int kMaxLookups = 8;  // DNS lookups that may hang at once (each holds a thread)

// getaddrinfo on a thread of its own, waited for until `deadline`: a lookup cannot be cut short,
// and one that hangs (a slow or hostile name server) must hold neither the caller past its time
// limit nor the lookups of other clients. At most kMaxLookups run at once.
Result<Endpoints> resolve(const Target& t, Clock::time_point deadline,
                          const std::shared_ptr<std::atomic<int>>& lookups) {
  if (lookups->fetch_add(1) >= kMaxLookups) {
    lookups->fetch_sub(1);
    return Errc::resolve_failed;
  }
  auto answer = std::make_shared<std::promise<Result<Endpoints>>>();
  auto result = answer->get_future();
  std::thread([answer, lookups, host = t.host, port = t.port] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV;
    addrinfo* list = nullptr;
    Result<Endpoints> r = make_error_code(Errc::resolve_failed);
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &list) == 0) {
      Endpoints eps;
      for (auto* ai = list; ai; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
        tcp::endpoint ep;
        std::memcpy(ep.data(), ai->ai_addr, ai->ai_addrlen);
        ep.resize(ai->ai_addrlen);
        eps.push_back(ep);
      }
      freeaddrinfo(list);
      if (!eps.empty()) r = std::move(eps);
    }
    lookups->fetch_sub(1);
    answer->set_value(std::move(r));
  }).detach();
  if (result.wait_until(deadline) != std::future_status::ready) return Errc::timeout;
  return result.get();
}

Errc io_error(const boost::system::error_code& ec, Errc otherwise) {
  return ec == beast::error::timeout ? Errc::timeout : otherwise;
}

// One GET over a connected (and, for https, verified) stream whose deadline is already set.
template <class Stream>
asio::awaitable<Result<FetchedDocument>> exchange(Stream& s, const Target& t, const HttpsClientOptions& o) {
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, t.path, 11};
  req.set(bhttp::field::host, t.host_header);
  req.set(bhttp::field::user_agent, "Gatehouse");
  req.set(bhttp::field::accept, "application/jwk-set+json, application/json");
  req.set(bhttp::field::connection, "close");
  auto [wec, wn] = co_await bhttp::async_write(s, req, kAwait);
  if (wec) co_return io_error(wec, Errc::connect_failed);
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> p;
  p.header_limit(static_cast<std::uint32_t>(o.max_header_bytes));
  p.body_limit(o.max_body_bytes);
  auto [hec, hn] = co_await bhttp::async_read_header(s, buf, p, kAwait);
  // The parser refuses an announced Content-Length over the body limit while reading the header.
  bool over = hec == bhttp::error::header_limit || hec == bhttp::error::body_limit;
  if (hec) co_return io_error(hec, over ? Errc::too_large : Errc::bad_response);
  auto status = p.get().result_int();
  if (status >= 300 && status < 400) co_return Errc::redirect_refused;  // never followed (SSRF)
  if (status != 200) co_return Errc::bad_status;
  if (!p.is_done()) {
    auto [bec, bn] = co_await bhttp::async_read(s, buf, p, kAwait);
    if (bec == bhttp::error::body_limit) co_return Errc::too_large;
    if (bec) co_return io_error(bec, Errc::bad_response);  // incl. a TLS stream cut short
  }
  auto& res = p.get();
  co_return FetchedDocument{std::move(res.body()), std::string(res[bhttp::field::content_type]),
                            std::string(res[bhttp::field::cache_control])};
}

}  // namespace

struct HttpsClient::Impl {
  explicit Impl(HttpsClientOptions o) : opts(std::move(o)) {
    tls.set_verify_mode(ssl::verify_peer);
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    boost::system::error_code ec;
    if (opts.use_system_trust) tls.set_default_verify_paths(ec);
    if (ec) throw std::runtime_error("cannot load the system trust store: " + ec.message());
    if (!opts.extra_trust_pem.empty()) tls.add_certificate_authority(asio::buffer(opts.extra_trust_pem), ec);
    if (ec) throw std::runtime_error("cannot load the extra trusted certificates: " + ec.message());
    thread = std::thread([this] { ioc.run(); });
  }
  ~Impl() {
    work.reset();
    ioc.stop();
    thread.join();
  }

  asio::awaitable<Result<FetchedDocument>> fetch(Target t, Endpoints endpoints, Clock::time_point deadline);

  HttpsClientOptions opts;
  ssl::context tls{ssl::context::tls_client};
  asio::io_context ioc;  // after tls: coroutine frames (and their SSL objects) go first
  asio::executor_work_guard<asio::io_context::executor_type> work{asio::make_work_guard(ioc)};
  std::thread thread;
  std::shared_ptr<std::atomic<int>> lookups = std::make_shared<std::atomic<int>>(0);
};

// Connects to the checked `endpoints` only, then one exchange; all within `deadline`.
asio::awaitable<Result<FetchedDocument>> HttpsClient::Impl::fetch(Target t, Endpoints endpoints,
                                                                  Clock::time_point deadline) {
  auto ex = co_await asio::this_coro::executor;
  beast::tcp_stream stream(ex);
  stream.expires_at(deadline);  // one deadline for connect, TLS, request and response
  auto [cec, ep] = co_await stream.async_connect(endpoints, kAwait);
  if (cec) co_return io_error(cec, Errc::connect_failed);
  if (!t.tls) co_return co_await exchange(stream, t, opts);

  beast::ssl_stream<beast::tcp_stream> s(std::move(stream), tls);
  SSL* h = s.native_handle();
  // RFC 6066 §3: SNI carries host names only, never IP literals.
  if (!t.host_is_ip && SSL_set_tlsext_host_name(h, t.host.c_str()) != 1) co_return Errc::tls_failed;
  // RFC 9110 §4.3.4 / RFC 6125: the certificate must name the host (or IP) of the URL.
  auto* param = SSL_get0_param(h);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  int ok = t.host_is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, t.host.c_str())
                        : X509_VERIFY_PARAM_set1_host(param, t.host.c_str(), t.host.size());
  if (ok != 1) co_return Errc::tls_failed;
  auto [tec] = co_await s.async_handshake(ssl::stream_base::client, kAwait);
  if (tec) co_return io_error(tec, Errc::tls_failed);
  co_return co_await exchange(s, t, opts);
}

HttpsClient::HttpsClient(HttpsClientOptions opts) : opts_(std::move(opts)) {}

HttpsClient::~HttpsClient() = default;

HttpsClient::Impl* HttpsClient::started() {
  std::call_once(start_once_, [this] {
    try {
      impl_ = std::make_unique<Impl>(opts_);
    } catch (const std::exception& e) {
      spdlog::error("outbound https client cannot start error=\"{}\"", e.what());
    }
  });
  return impl_.get();
}

gh::Result<FetchedDocument> HttpsClient::get(std::string_view url) {
  auto t = parse_target(url, opts_.allow_http_hosts);
  if (!t) return t.error();
  auto* impl = started();
  if (!impl) return Errc::tls_failed;
  auto deadline = Clock::now() + opts_.timeout;
  auto endpoints = resolve(*t, deadline, impl->lookups);
  if (!endpoints) return endpoints.error();
  // Every address must pass: a name that also resolves to an internal address is refused. The
  // connection goes only to these checked endpoints; nothing resolves the name again (DNS
  // rebinding cannot slip another address in between).
  for (auto& ep : *endpoints)
    if (!opts_.address_allowed(to_ip(ep.address()))) return Errc::address_refused;
  auto done = std::make_shared<std::promise<Result<FetchedDocument>>>();
  auto answer = done->get_future();
  asio::co_spawn(impl->ioc, impl->fetch(std::move(*t), std::move(*endpoints), deadline),
                 [done](std::exception_ptr e, Result<FetchedDocument> r) {
                   if (e) r = make_error_code(Errc::bad_response);
                   done->set_value(std::move(r));
                 });
  // The coroutine keeps the deadline itself (the stream's timer); this is a backstop.
  if (answer.wait_until(deadline + std::chrono::milliseconds(100)) != std::future_status::ready)
    return Errc::timeout;
  return answer.get();
}

}  // namespace gh::net
