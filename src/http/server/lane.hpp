#pragma once
// A lane: a fixed set of threads on which the server runs Service work that may block (the
// writer lane: store writes and the background tick; the outbound lane: waits on the network).
// Built by the composition root (src/server) and handed to http::Server, which posts to it and
// joins it when it stops. Asio stays in the .cpp files.
#include <functional>
#include <memory>

namespace gh::http {

class Lane {
 public:
  explicit Lane(unsigned threads);  // at least one thread
  ~Lane();
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;
  // Waits for the posted work to finish and the threads to exit. Idempotent.
  void join();
  // Runs `job` on one of the lane's threads (the change feed's model reloads, issue 18). Work
  // posted after join() never runs.
  void post(std::function<void()> job);

 private:
  friend class Server;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gh::http
