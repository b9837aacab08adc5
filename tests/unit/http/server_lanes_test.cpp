// The server's lanes (http/server/server.hpp, http/service.hpp; issue #3 "jwks_uri"): a request
// whose answer waits on outbound I/O waits on the outbound lane, while the I/O thread keeps
// serving other requests; handle() runs again afterwards, once. A real http::Server on
// 127.0.0.1:0 with a scripted Service, called with net::HttpsClient over http (admitted to
// loopback here only).
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "http/server/server.hpp"
#include "net/errc.hpp"
#include "net/https_client.hpp"

namespace gh::http {
namespace {
using namespace std::chrono_literals;

class ScriptedService final : public Service {
 public:
  std::size_t body_limit(std::string_view) const override { return 1024; }
  bool is_blocking(const Request& req) const override { return req.path.starts_with("/write"); }
  bool waits_on_network(const Request& req) const override { return req.path.starts_with("/shared"); }
  Response handle(Request& req) override {
    auto tid = std::this_thread::get_id();
    if (req.path == "/fast") {
      fast_thread = tid;
      return Response::json(200, R"({"fast":true})");
    }
    if (req.path == "/shared") {
      shared_thread = tid;
      return Response::json(200, R"({"shared":true})");
    }
    if (req.path == "/slow" || req.path == "/write/slow" || req.path == "/shared/slow") {
      std::lock_guard lk(mu_);
      ++slow_handles;
      slow_threads.push_back(tid);
      if (!prepared_) {
        auto r = Response::json(401, R"({"error":"invalid_client"})");
        r.needs_outbound = true;
        return r;
      }
      return Response::json(200, R"({"fetched":true})");
    }
    if (req.path == "/always") {  // asks for outbound I/O every time: one trip, then its answer
      ++always_handles;
      auto r = Response::json(401, R"({"error":"invalid_client"})");
      r.needs_outbound = true;
      return r;
    }
    return Response::json(404, "{}");
  }
  void prepare_outbound(Request& req) override {
    std::unique_lock lk(mu_);
    ++prepares;
    prepare_thread = std::this_thread::get_id();
    in_prepare_ = true;
    cv_.notify_all();
    cv_.wait(lk, [&] { return released_ || req.path == "/always"; });
    prepared_ = true;
  }
  Response transport_error(int status, std::string_view) const override { return Response::json(status, "{}"); }

  void wait_in_prepare() {
    std::unique_lock lk(mu_);
    ASSERT_TRUE(cv_.wait_for(lk, 10s, [&] { return in_prepare_; }));
  }
  void release() {
    std::lock_guard lk(mu_);
    released_ = true;
    cv_.notify_all();
  }

  std::atomic<int> slow_handles{0}, always_handles{0}, prepares{0};
  std::thread::id fast_thread, prepare_thread, shared_thread;
  std::vector<std::thread::id> slow_threads;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool in_prepare_ = false, released_ = false, prepared_ = false;
};

net::HttpsClientOptions loopback_http() {
  net::HttpsClientOptions o;
  o.timeout = 10s;
  o.allow_http_hosts = {"127.0.0.1"};
  o.use_system_trust = false;
  o.address_allowed = [](const IpAddress& a) { return !a.is_v6 && a.bytes[0] == 127; };
  return o;
}

class ServerLanesTest : public ::testing::Test {
 protected:
  ServerLanesTest() {
    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.threads = 1;  // one I/O thread: a wait on it would stall every request
    server_ = std::make_unique<Server>(so, service_, writer_, outbound_);
    server_->bind();
    base_ = "http://" + server_->bound_address();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~ServerLanesTest() override {
    service_.release();
    server_->stop();
    thread_.join();
  }

  ScriptedService service_;
  Lane writer_{1}, outbound_{1};
  std::unique_ptr<Server> server_;
  std::string base_;
  std::thread thread_;
  net::HttpsClient client_{loopback_http()};
};

TEST_F(ServerLanesTest, OutboundWaitsDoNotHoldTheIoThread) {
  gh::Result<net::FetchedDocument> slow = boost::system::error_code(net::Errc::timeout);
  std::thread caller([&] { slow = client_.get(base_ + "/slow"); });
  service_.wait_in_prepare();
  // The slow request is parked on the outbound lane; the single I/O thread still serves.
  for (int i = 0; i < 5; ++i) {
    auto fast = client_.get(base_ + "/fast");
    ASSERT_TRUE(fast.has_value()) << fast.error().message();
    EXPECT_EQ(fast->body, R"({"fast":true})");
  }
  service_.release();
  caller.join();
  ASSERT_TRUE(slow.has_value()) << slow.error().message();
  EXPECT_EQ(slow->body, R"({"fetched":true})");
  EXPECT_EQ(service_.slow_handles.load(), 2);  // before and after the outbound trip
  EXPECT_EQ(service_.prepares.load(), 1);
  EXPECT_NE(service_.prepare_thread, service_.fast_thread);
  ASSERT_EQ(service_.slow_threads.size(), 2u);
  EXPECT_EQ(service_.slow_threads[0], service_.fast_thread);  // inline, on the one I/O thread
  EXPECT_EQ(service_.slow_threads[1], service_.fast_thread);
}

TEST_F(ServerLanesTest, WriterRequestsGoOutboundAndBackToTheWriter) {
  service_.release();
  auto r = client_.get(base_ + "/write/slow");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->body, R"({"fetched":true})");
  EXPECT_EQ(service_.slow_handles.load(), 2);
  EXPECT_EQ(service_.prepares.load(), 1);
  // Both handle() calls on the writer thread, the wait on the outbound lane.
  ASSERT_EQ(service_.slow_threads.size(), 2u);
  EXPECT_EQ(service_.slow_threads[0], service_.slow_threads[1]);
  EXPECT_NE(service_.slow_threads[0], service_.prepare_thread);
}

// Many nodes (issue 18): a request whose answer waits on a shared store (a single-use ledger in
// PostgreSQL) runs on the outbound lane, before and after an outbound trip; never on the I/O thread.
TEST_F(ServerLanesTest, RequestsThatWaitOnTheNetworkRunOnTheOutboundLane) {
  service_.release();
  ASSERT_TRUE(client_.get(base_ + "/fast").has_value());
  auto r = client_.get(base_ + "/shared");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->body, R"({"shared":true})");
  EXPECT_NE(service_.shared_thread, service_.fast_thread);
  auto slow = client_.get(base_ + "/shared/slow");
  ASSERT_TRUE(slow.has_value()) << slow.error().message();
  ASSERT_EQ(service_.slow_threads.size(), 2u);
  for (auto t : service_.slow_threads) EXPECT_NE(t, service_.fast_thread);
  EXPECT_EQ(service_.slow_threads[0], service_.shared_thread);  // the outbound lane's one thread
  EXPECT_EQ(service_.slow_threads[1], service_.prepare_thread);
}

TEST_F(ServerLanesTest, ARequestMakesAtMostOneOutboundTrip) {
  auto r = client_.get(base_ + "/always");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), net::Errc::bad_status);  // the 401 handle() gave the second time
  EXPECT_EQ(service_.always_handles.load(), 2);
  EXPECT_EQ(service_.prepares.load(), 1);
}

}  // namespace
}  // namespace gh::http
