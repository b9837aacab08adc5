#pragma once
// Introspection scanning (RFC 7662 §4; okta-compat.md §11.32): once one client's introspections
// have answered `active: false` `limit` times within a minute, every further introspection of
// that client gets 429 until the minute is over. Only inactive answers count, so a resource
// server introspecting the tokens its callers really hold never reaches the limit. Fixed windows
// per client, opened by the client's first inactive answer. Thread-safe; bounded memory.
// Many nodes (issue 18): take_usage()/debit() let the server's SharedLimits add up the inactive
// answers of every node, so the limit holds across nodes approximately (about a second late).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gh::oauth {

class IntrospectionScanLimit {
 public:
  explicit IntrospectionScanLimit(std::uint32_t limit, std::chrono::milliseconds window = std::chrono::minutes(1),
                                  std::size_t max_keys = 100'000);

  // Whole seconds until `client` (org and client id) may introspect again; none when it may now.
  std::optional<std::int64_t> blocked_for(std::string_view client, std::int64_t now_ms);
  // Counts one `active: false` answer to `client`.
  void count_inactive(std::string_view client, std::int64_t now_ms);

  // Many nodes: the inactive answers counted per client since the last call (clients that
  // counted none are left out), counted from zero again.
  std::vector<std::pair<std::string, std::uint32_t>> take_usage();
  // Counts `n` inactive answers that other nodes gave to `client` (never past `limit`); a client
  // without an open window gets one, opened now. Not this node's usage. Keeps max_keys.
  void debit(std::string_view client, double n, std::int64_t now_ms);

 private:
  struct Window {
    std::int64_t opened_ms;
    std::uint32_t count;       // inactive answers in the window, every node's, at most limit_
    std::uint32_t taken = 0;   // this node's since the last take_usage()
  };
  void prune(std::int64_t now_ms);

  const std::uint32_t limit_;
  const std::int64_t window_ms_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace gh::oauth
