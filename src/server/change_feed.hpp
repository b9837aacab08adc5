#pragma once
// Many nodes on one PostgreSQL (issue 18): this node hears of every other node's commits through
// LISTEN/NOTIFY (store/postgres/change_listener.hpp) and reloads the named org into its read
// model, and /health/ready follows the feed's connection. docs/architecture.md, "Threads".
//
// Threads: the feed's own thread owns the listening connection (blocking libpq calls, poll on
// its socket; never an I/O thread); every reload runs on the writer lane, where every other
// change of the model is made, so it is ordered with this node's own commits.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "http/server/lane.hpp"
#include "server/org_reload.hpp"
#include "store/postgres/change_listener.hpp"

namespace gh::server {

// Delays between attempts to reconnect: `first`, doubling up to `max`; reset() after success.
class Backoff {
 public:
  explicit Backoff(std::chrono::milliseconds first = std::chrono::milliseconds(100),
                   std::chrono::milliseconds max = std::chrono::seconds(2))
      : first_(first), max_(max), next_(first) {}
  std::chrono::milliseconds next();
  void reset() { next_ = first_; }

 private:
  std::chrono::milliseconds first_, max_, next_;
};

class ChangeFeed {
 public:
  // `url`: the PostgreSQL store's; `node_id`: this node's (the store's notices carry it, and
  // this node's own are skipped); `set_ready`: /health/ready.
  ChangeFeed(std::string url, std::string node_id, ReloadParts parts, http::Lane& writer,
             std::function<void(bool)> set_ready);
  ChangeFeed(const ChangeFeed&) = delete;
  ~ChangeFeed();  // stop()

  // Main thread, before the orgs are loaded: LISTEN now, so that a change committed while they
  // load is heard (and reloaded once more). false: unreachable; the thread retries, with a full
  // reload once it connects.
  bool listen();
  // Starts the feed's thread (after the orgs are loaded).
  void start();
  // Stops and joins the thread; reloads already posted to the writer lane still run if it does.
  void stop();

 private:
  void run();
  void post_reload(const std::string& org_id);
  void post_full_reload(std::uint64_t epoch);
  void sleep_for(std::chrono::milliseconds d);
  void set_ready(bool r);

  store::ChangeListener listener_;
  const std::string node_id_;
  ReloadParts parts_;
  http::Lane& writer_;
  std::function<void(bool)> set_ready_;
  bool ready_ = true;  // as last told to set_ready_ (run_serve starts ready)
  int wake_fd_ = -1;  // eventfd: stop() wakes the thread
  std::atomic<bool> stopping_{false};
  std::thread thread_;

  std::mutex mu_;  // guards pending_ and retry_
  std::set<std::string> pending_;  // orgs whose reload is posted and not yet started
  std::set<std::string> retry_;    // orgs whose reload failed: posted again after a pause
  std::atomic<std::uint64_t> reloaded_epoch_{0}, failed_epoch_{0};  // full reloads' outcomes
};

// run_serve: the change feed of a PostgreSQL store (`store_url` postgresql://…), listening
// already (ChangeFeed::listen), not yet started; null for SQLite (one node, nothing to hear).
std::unique_ptr<ChangeFeed> listen_for_changes(const std::string& store_url, std::string node_id, ReloadParts parts,
                                               http::Lane& writer, std::function<void(bool)> set_ready);

}  // namespace gh::server
