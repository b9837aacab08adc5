// The Beast transport: a server that accepts and never answers costs the caller the time limit,
// not forever; http:// to a remote host is refused before any connection.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>

#include "gatehouse/client/http.hpp"

namespace gh::sdk {
namespace {
using namespace std::chrono;

TEST(SdkBeastTransport, ASilentServerTimesOut) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor silent(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  // Never accepted: the kernel completes the handshake, nothing ever answers.
  auto port = silent.local_endpoint().port();
  TransportOptions opts;
  opts.timeout = milliseconds(300);
  auto t = make_beast_transport(opts);
  auto start = steady_clock::now();
  auto r = t->send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/x", {}, {}});
  auto took = steady_clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::transport_failed));
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, milliseconds(3000));
}

TEST(SdkBeastTransport, PlainHttpOnlyToLoopback) {
  auto t = make_beast_transport();
  auto r = t->send({"GET", "http://gatehouse.invalid/x", {}, {}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::insecure_url));
}

}  // namespace
}  // namespace gh::sdk
