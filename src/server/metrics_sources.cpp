#include "server/metrics_sources.hpp"

#include <sys/stat.h>

#include <fstream>
#include <shared_mutex>
#include <stdexcept>

#include "model/commit.hpp"

namespace gh::server {

void add_gauges(Metrics& m, MetricsSources s) {
  for (auto& [name, cache] : s.replay_caches)
    m.add_gauge("gatehouse_replay_cache_entries", "Single-use ids remembered, by replay cache.", "cache=\"" + name + "\"",
                [c = cache] { return static_cast<double>(c->size()); });
  m.add_gauge("gatehouse_jwks_cache_entries", "Clients' jwks_uri key sets cached.", "",
              [&j = s.jwks] { return static_cast<double>(j.size()); });
  m.add_gauge("gatehouse_system_log_queue_events", "System Log events waiting to be written.", "",
              [&e = s.events] { return static_cast<double>(e.size()); });
  m.add_gauge("gatehouse_console_sessions", "Admin console sessions in memory.", "",
              [&ss = s.sessions] { return static_cast<double>(ss.size()); });
  m.add_gauge("gatehouse_orgs", "Orgs in the read model.", "",
              [&d = s.directory] { return static_cast<double>(d.all().size()); });
  m.add_gauge("gatehouse_api_tokens", "API tokens in the read model, all orgs.", "", [&d = s.directory] {
    std::size_t n = 0;
    for (auto* org : d.all()) {
      std::shared_lock lk(org->mutex());
      n += org->tokens().size();
    }
    return static_cast<double>(n);
  });
}

std::string read_metrics_token(const std::string& file) {
  if (file.empty()) return "";
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) throw std::runtime_error("cannot read metrics.token_file " + file);
  if ((st.st_mode & 077) != 0)
    throw std::runtime_error("metrics.token_file " + file + " is open to group or others; it must be 0600 or 0400");
  std::ifstream in(file);
  std::string token;
  if (!in || !std::getline(in, token)) throw std::runtime_error("cannot read metrics.token_file " + file);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.size() < 16) throw std::runtime_error("metrics.token_file " + file + " must hold a token of 16 or more characters");
  return token;
}

CommitTiming::CommitTiming(Metrics* m) {
  if (!m) return;
  model::set_commit_observer(
      [](void* ctx, std::chrono::nanoseconds took, bool ok) {
        static_cast<Metrics*>(ctx)->record_store(StoreOp::commit, took, ok);
      },
      m);
  set_ = true;
}

CommitTiming::~CommitTiming() {
  if (set_) model::set_commit_observer(nullptr, nullptr);
}

}  // namespace gh::server
