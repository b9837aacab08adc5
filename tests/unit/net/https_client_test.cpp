// The outbound HTTPS client (net/https_client.hpp; issue #3 "jwks_uri") against a local server
// started here: TLS with a CA and certificate generated in the test and trusted only by these
// clients. Only these tests admit 127.0.0.1 (HttpsClientOptions::address_allowed); the
// production policy refuses it, which is checked here too.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/json.hpp>

#include "jose/errc.hpp"
#include "jose/keys.hpp"
#include "net/errc.hpp"
#include "net/https_client.hpp"
#include "server/jwks_fetcher.hpp"

namespace gh::net {
namespace {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// --- certificates -----------------------------------------------------------------------------

struct KeyPair {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{EVP_EC_gen("P-256"), EVP_PKEY_free};
};

std::string pem_of(X509* x) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), x);
  char* data = nullptr;
  auto n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string pem_of(EVP_PKEY* k) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), k, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  auto n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

void add_ext(X509* x, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, x, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  ASSERT_NE(ext, nullptr) << value;
  X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
}

std::unique_ptr<X509, decltype(&X509_free)> make_cert(const char* cn, EVP_PKEY* key, X509* issuer,
                                                      EVP_PKEY* issuer_key, const char* san, long serial) {
  std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 86400);
  X509_set_pubkey(x.get(), key);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(x.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* signer = issuer ? issuer : x.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(signer));
  if (san) {
    add_ext(x.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(x.get(), signer, NID_subject_alt_name, san);
  } else {
    add_ext(x.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(x.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  }
  X509_sign(x.get(), issuer_key, EVP_sha256());
  return x;
}

// A test CA and a server certificate it issued for `san`.
struct TestPki {
  explicit TestPki(const char* san) {
    auto ca = make_cert("Gatehouse test CA", ca_key.key.get(), nullptr, ca_key.key.get(), nullptr, 1);
    auto leaf = make_cert("gatehouse test server", leaf_key.key.get(), ca.get(), ca_key.key.get(), san, 2);
    ca_pem = pem_of(ca.get());
    cert_pem = pem_of(leaf.get());
    key_pem = pem_of(leaf_key.key.get());
  }
  KeyPair ca_key, leaf_key;
  std::string ca_pem, cert_pem, key_pem;
};

const TestPki& pki() {  // SAN: the name localhost and the address 127.0.0.1
  static TestPki p("DNS:localhost,IP:127.0.0.1");
  return p;
}

// --- a local server -----------------------------------------------------------------------------

// Serves each connection with `respond(request head)` (raw HTTP/1.1 bytes), or never answers when
// `respond` returns "" (a slow server). Counts connections and keeps the request heads.
class LocalServer {
 public:
  using Responder = std::function<std::string(const std::string&)>;
  LocalServer(bool tls, Responder respond, const TestPki& certs = pki()) : tls_(tls), respond_(std::move(respond)) {
    if (tls_) {
      ctx_.use_certificate_chain(asio::buffer(certs.cert_pem));
      ctx_.use_private_key(asio::buffer(certs.key_pem), ssl::context::pem);
    }
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~LocalServer() {
    ioc_.stop();
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return connections_; }
  std::vector<std::string> requests() const {
    std::lock_guard lk(mu_);
    return requests_;
  }
  std::string url(std::string_view host, std::string_view path = "/jwks") const {
    return std::string(tls_ ? "https://" : "http://") + std::string(host) + ":" + std::to_string(port()) +
           std::string(path);
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, sock] = co_await acceptor_.async_accept(kAwait);
      if (ec) co_return;
      ++connections_;
      asio::co_spawn(ioc_, serve(std::move(sock)), asio::detached);
    }
  }
  asio::awaitable<void> serve(tcp::socket sock) {
    if (!tls_) {
      co_await exchange(sock);
      co_return;
    }
    ssl::stream<tcp::socket> s(std::move(sock), ctx_);
    auto [ec] = co_await s.async_handshake(ssl::stream_base::server, kAwait);
    if (!ec) co_await exchange(s);
  }
  template <class Stream>
  asio::awaitable<void> exchange(Stream& s) {
    std::string head;
    auto [ec, n] = co_await asio::async_read_until(s, asio::dynamic_buffer(head), "\r\n\r\n", kAwait);
    if (ec) co_return;
    {
      std::lock_guard lk(mu_);
      requests_.push_back(head.substr(0, n));
    }
    auto out = respond_(head);
    if (out.empty()) {  // slow server: wait until the client gives up
      char sink[256];
      for (;;) {
        auto [rec, rn] = co_await s.async_read_some(asio::buffer(sink), kAwait);
        if (rec) co_return;
      }
    }
    co_await asio::async_write(s, asio::buffer(out), kAwait);
  }

  bool tls_;
  Responder respond_;
  asio::io_context ioc_;
  ssl::context ctx_{ssl::context::tls_server};
  tcp::acceptor acceptor_{ioc_};
  std::thread thread_;
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
};

std::string response(int status, std::string_view reason, std::string body, std::string extra = {}) {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n" + extra + "\r\n" + body;
}

bool is_loopback_v4(const http::IpAddress& a) { return !a.is_v6 && a.bytes[0] == 127; }

// A client that trusts the test CA and admits 127.0.0.0/8: for these tests only.
HttpsClientOptions test_options(std::chrono::milliseconds timeout = 2000ms) {
  HttpsClientOptions o;
  o.timeout = timeout;
  o.extra_trust_pem = pki().ca_pem;
  o.use_system_trust = false;
  o.address_allowed = is_loopback_v4;
  return o;
}

std::string jwks_json() {
  auto key = jose::Jwk::from_pkey(jose::generate_ec().value(), "k1", jose::Alg::ES256).value();
  return boost::json::serialize(jose::JwkSet::from_keys({key}).value().to_public_json());
}

TEST(HttpsClient, FetchesA200DocumentWithVerifiedTlsAndSni) {
  auto body = jwks_json();
  LocalServer server(true, [&](const std::string&) {
    return response(200, "OK", body, "Content-Type: application/json\r\nCache-Control: max-age=600\r\n");
  });
  HttpsClient client(test_options());
  for (auto host : {"localhost", "127.0.0.1"}) {  // a name (SNI + host name check) and an IP literal
    SCOPED_TRACE(host);
    auto r = client.get(server.url(host, "/keys/jwks.json?v=2"));
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_EQ(r->body, body);
    EXPECT_EQ(r->content_type, "application/json");
    EXPECT_EQ(r->cache_control, "max-age=600");
  }
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_TRUE(reqs[0].starts_with("GET /keys/jwks.json?v=2 HTTP/1.1\r\n")) << reqs[0];
  EXPECT_NE(reqs[0].find("Host: localhost:" + std::to_string(server.port()) + "\r\n"), std::string::npos) << reqs[0];
  EXPECT_NE(reqs[1].find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"), std::string::npos) << reqs[1];
}

TEST(HttpsClient, RefusesRedirectsWithoutFollowingThem) {
  HttpsClient client(test_options());
  for (int status : {301, 302, 303, 307, 308}) {
    SCOPED_TRACE(status);
    LocalServer s(true, [&](const std::string&) {
      return response(status, "Moved", "", "Location: /jwks2\r\n");
    });
    auto r = client.get(s.url("localhost"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Errc::redirect_refused);
    EXPECT_EQ(s.connections(), 1);
    EXPECT_EQ(s.requests().size(), 1u);
  }
}

TEST(HttpsClient, RefusesEveryStatusButOk) {
  for (int status : {201, 204, 304, 400, 401, 404, 500, 503}) {
    SCOPED_TRACE(status);
    LocalServer server(true, [&](const std::string&) { return response(status, "X", "{\"keys\":[]}"); });
    HttpsClient client(test_options());
    auto r = client.get(server.url("localhost"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), status == 304 ? Errc::redirect_refused : Errc::bad_status);
  }
}

TEST(HttpsClient, RefusesResponsesOverTheSizeLimit) {
  auto opts = test_options();
  opts.max_body_bytes = 64 * 1024;
  HttpsClient client(opts);
  {
    LocalServer exact(true, [](const std::string&) { return response(200, "OK", std::string(64 * 1024, 'a')); });
    auto r = client.get(exact.url("localhost"));
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_EQ(r->body.size(), 64u * 1024);
  }
  {
    LocalServer big(true, [](const std::string&) { return response(200, "OK", std::string(64 * 1024 + 1, 'a')); });
    auto r = client.get(big.url("localhost"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Errc::too_large);
  }
  {
    // No Content-Length: chunked, 8 KiB chunks, far beyond the limit; refused while reading.
    LocalServer chunked(true, [](const std::string&) {
      std::string out = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
      for (int i = 0; i < 40; ++i) out += "2000\r\n" + std::string(0x2000, 'b') + "\r\n";
      return out + "0\r\n\r\n";
    });
    auto r = client.get(chunked.url("localhost"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Errc::too_large);
  }
  {
    LocalServer headers(true, [](const std::string&) {
      return response(200, "OK", "{}", "X-Filler: " + std::string(20 * 1024, 'h') + "\r\n");
    });
    auto r = client.get(headers.url("localhost"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Errc::too_large);
  }
}

TEST(HttpsClient, GivesUpOnASlowServerAtTheTimeLimit) {
  LocalServer slow(true, [](const std::string&) { return std::string(); });
  HttpsClient client(test_options(400ms));
  auto start = std::chrono::steady_clock::now();
  auto r = client.get(slow.url("localhost"));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), Errc::timeout);
  EXPECT_GE(took, 350ms);
  EXPECT_LT(took, 3s);
  EXPECT_EQ(slow.connections(), 1);
}

TEST(HttpsClient, VerifiesTheCertificateAgainstTrustAndHostName) {
  LocalServer server(true, [](const std::string&) { return response(200, "OK", "{}"); });
  {
    auto opts = test_options();
    opts.extra_trust_pem.clear();  // the system store does not know the test CA
    HttpsClient untrusting(opts);
    auto r = untrusting.get(server.url("localhost"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Errc::tls_failed);
  }
  {
    // Issued by the trusted CA, but for other names: neither localhost nor 127.0.0.1 matches.
    static TestPki other("DNS:keys.example.com,IP:192.0.2.1");
    auto opts = test_options();
    opts.extra_trust_pem = other.ca_pem;
    HttpsClient client(opts);
    LocalServer misnamed(true, [](const std::string&) { return response(200, "OK", "{}"); }, other);
    for (auto host : {"localhost", "127.0.0.1"}) {
      SCOPED_TRACE(host);
      auto r = client.get(misnamed.url(host));
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error(), Errc::tls_failed);
    }
    EXPECT_EQ(misnamed.connections(), 2);
  }
}

TEST(HttpsClient, TheProductionPolicyNeverConnectsToLoopback) {
  LocalServer server(true, [](const std::string&) { return response(200, "OK", "{}"); });
  auto opts = test_options();
  opts.address_allowed = http::is_public_unicast;  // what the server wires
  HttpsClient client(opts);
  for (auto host : {"localhost", "127.0.0.1", "[::ffff:127.0.0.1]", "2130706433", "127.1"}) {
    SCOPED_TRACE(host);
    auto r = client.get(server.url(host));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Errc::address_refused);
  }
  EXPECT_EQ(server.connections(), 0);
  EXPECT_FALSE(HttpsClientOptions{}.address_allowed(*http::IpAddress::parse("127.0.0.1")));
}

TEST(HttpsClient, HttpOnlyToListedHosts) {
  LocalServer plain(false, [](const std::string&) { return response(200, "OK", "{\"keys\":[]}"); });
  {
    HttpsClient client(test_options());
    auto r = client.get(plain.url("localhost"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Errc::scheme_not_allowed);
    EXPECT_EQ(plain.connections(), 0);
  }
  auto opts = test_options();
  opts.allow_http_hosts = {"LocalHost"};
  HttpsClient client(opts);
  auto r = client.get(plain.url("localhost"));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->body, "{\"keys\":[]}");
  auto other = client.get(plain.url("127.0.0.1"));
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error(), Errc::scheme_not_allowed);
}

TEST(HttpsClient, RefusesUrlsItWillNotFetch) {
  HttpsClient client(test_options());
  for (auto url : {"ftp://localhost/jwks", "https://user@localhost/jwks", "https://localhost/jwks#f",
                   "https:///jwks", "https://localhost:0/jwks", "https://localhost:70000/jwks", "/jwks",
                   "https://[v1.x]/jwks", "https://ho%73t/jwks", "file:///etc/passwd"}) {
    SCOPED_TRACE(url);
    auto r = client.get(url);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), Errc::bad_url);
  }
}

TEST(HttpsJwksFetcher, ParsesPublicKeySetsAndMaxAge) {
  auto body = jwks_json();
  LocalServer server(true, [&](const std::string& head) {
    if (head.starts_with("GET /ok ")) return response(200, "OK", body, "Cache-Control: public, max-age=900\r\n");
    if (head.starts_with("GET /text ")) return response(200, "OK", "<html>");
    if (head.starts_with("GET /private ")) {
      auto o = jose::Jwk::from_pkey(jose::generate_ec().value(), "p", jose::Alg::ES256).value().to_public_json();
      o["d"] = "AAAA";
      return response(200, "OK", boost::json::serialize(boost::json::object{{"keys", boost::json::array{o}}}));
    }
    return response(404, "Not Found", "");
  });
  HttpsClient client(test_options());
  server::HttpsJwksFetcher fetcher(client);
  auto ok = fetcher.fetch(server.url("localhost", "/ok"));
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  EXPECT_NE(ok->keys.find("k1"), nullptr);
  EXPECT_EQ(ok->max_age, std::chrono::seconds(900));
  auto text = fetcher.fetch(server.url("localhost", "/text"));
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error(), jose::Errc::bad_json);
  auto p = fetcher.fetch(server.url("localhost", "/private"));
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error(), jose::Errc::private_key_material);  // okta-compat.md §11.22
  auto missing = fetcher.fetch(server.url("localhost", "/missing"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error(), Errc::bad_status);
}

}  // namespace
}  // namespace gh::net
