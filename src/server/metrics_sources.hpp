#pragma once
// What /metrics reads besides its counters: the gauges of the parts run_serve built (cache
// sizes, orgs and API tokens in the model), the bearer token of [metrics] token_file, and the
// store-commit timing hook. Kept apart from metrics.hpp, which knows no part of the server.
#include <string>
#include <utility>
#include <vector>

#include "api/session/session_store.hpp"
#include "model/directory.hpp"
#include "oauth/client_auth/jwks_cache.hpp"
#include "oauth/client_auth/replay_cache.hpp"
#include "server/metrics.hpp"
#include "store/event_queue.hpp"

namespace gh::server {

struct MetricsSources {
  model::Directory& directory;
  std::vector<std::pair<std::string, const oauth::ReplayCache*>> replay_caches;  // cache label → cache
  const oauth::JwksCache& jwks;
  store::EventQueue& events;
  const api::session::SessionStore& sessions;
};

// Registers the gauges: replay cache entries by cache, jwks_uri cache entries, System Log
// events waiting, console sessions, orgs, and API tokens in the model.
void add_gauges(Metrics& m, MetricsSources s);

// The bearer token in `file`'s first line, or "" for no file. Throws std::runtime_error when the
// file cannot be read, is open to group or others, or holds fewer than 16 characters.
std::string read_metrics_token(const std::string& file);

// Times every store commit into `m` (model::set_commit_observer) while it lives.
class CommitTiming {
 public:
  explicit CommitTiming(Metrics* m);
  ~CommitTiming();
  CommitTiming(const CommitTiming&) = delete;
  CommitTiming& operator=(const CommitTiming&) = delete;

 private:
  bool set_ = false;
};

}  // namespace gh::server
