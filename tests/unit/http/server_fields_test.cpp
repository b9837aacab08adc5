// Response header fields (http/server/server.cpp; RFC 9110 §5.5): a value carrying CR, LF or NUL
// (a handler's bug) goes out as one field with spaces in their place, never as a second field,
// wherever in the value the byte falls. A real http::Server on 127.0.0.1:0, read raw over TCP.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "http/server/server.hpp"

namespace gh::http {
namespace {

class HeaderService final : public Service {
 public:
  std::string value;
  std::size_t body_limit(std::string_view) const override { return 1024; }
  bool is_blocking(const Request&) const override { return false; }
  Response handle(Request&) override {
    auto r = Response::json(200, "{}");
    r.set("X-Test", value);
    return r;
  }
  void prepare_outbound(Request&) override {}
  Response transport_error(int status, std::string_view) const override { return Response::json(status, "{}"); }
};

// One request on a new connection; the response head as it came.
std::string raw_head(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  std::string req = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out.substr(0, out.find("\r\n\r\n") + 2);
}

TEST(ServerFields, ControlBytesInAValueNeverStartAnotherField) {
  HeaderService service;
  ServerOptions so;
  so.host = "127.0.0.1";
  so.port = 0;
  so.threads = 1;
  Lane writer(1), outbound(1);
  Server server(so, service, writer, outbound);
  server.bind();
  auto addr = server.bound_address();
  auto port = static_cast<std::uint16_t>(std::stoi(addr.substr(addr.rfind(':') + 1)));
  std::thread t([&] { server.run(); });

  service.value = "plain value, 24 bytes ok";
  EXPECT_NE(raw_head(port).find("\r\nX-Test: plain value, 24 bytes ok\r\n"), std::string::npos);
  for (char bad : {'\r', '\n', '\0'})
    for (std::size_t at = 0; at < 19; ++at) {
      std::string v = "a\r\nSet-Cookie: x=1";  // 18 bytes: the injection tried at every offset
      v.insert(at, 1, bad);
      service.value = v;
      auto head = raw_head(port);
      std::string expected = v;
      for (auto& c : expected) c = (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
      EXPECT_NE(head.find("\r\nX-Test: " + expected + "\r\n"), std::string::npos) << head;
      EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos) << head;
    }
  server.stop();
  t.join();
}

}  // namespace
}  // namespace gh::http
