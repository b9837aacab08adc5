#pragma once
// A scripted sdk::Transport and a sleeper that moves a FakeClock, for the SDK's unit tests.
#include <functional>
#include <mutex>
#include <vector>

#include "core/clock.hpp"
#include "gatehouse/client/http.hpp"

namespace gh::sdk::testing {

class FakeTransport final : public Transport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;
  explicit FakeTransport(Handler h) : h_(std::move(h)) {}
  Result<HttpResponse> send(const HttpRequest& req) override {
    {
      std::lock_guard lk(mu_);
      sent_.push_back(req);
    }
    return h_(req);
  }
  std::vector<HttpRequest> sent() {
    std::lock_guard lk(mu_);
    return sent_;
  }

 private:
  Handler h_;
  std::mutex mu_;
  std::vector<HttpRequest> sent_;
};

class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(core::FakeClock& c) : clock_(c) {}
  void sleep_for(std::chrono::milliseconds d) override {
    slept.push_back(d);
    clock_.advance(d);
  }
  std::vector<std::chrono::milliseconds> slept;

 private:
  core::FakeClock& clock_;
};

inline HttpResponse json_response(int status, std::string body, Headers h = {}) {
  h.emplace_back("Content-Type", "application/json");
  return HttpResponse{status, std::move(h), std::move(body)};
}

inline std::string form_value(std::string_view body, std::string_view name) {
  std::string key = std::string(name) + "=";
  for (std::size_t pos = 0; pos < body.size();) {
    auto end = body.find('&', pos);
    auto part = body.substr(pos, end == std::string_view::npos ? body.npos : end - pos);
    if (part.starts_with(key)) return std::string(part.substr(key.size()));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return {};
}

}  // namespace gh::sdk::testing
