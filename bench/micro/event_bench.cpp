// Micro-benchmark of System Log token events (issue 4: "recording token events costs less than
// 10% of token-endpoint throughput"). Splits what one event costs between the request thread
// (encode the event from views as oauth/token_endpoint/token_events.cpp does, and queue it) and
// the writer thread (one flush of a second's worth of events into a real SQLite store).
// Run: build/gh_micro_bench --benchmark_filter=Event
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/random.hpp"
#include "domain/log_event.hpp"
#include "store/event_queue.hpp"
#include "store/event_record.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

// A token event of the shape token_events.cpp records for an issued token.
gh::domain::LogEvent token_event(gh::core::Random& random) {
  gh::domain::LogEvent e;
  e.uuid = gh::domain::new_event_uuid(random);
  e.published = 1'795'000'000'000;
  e.client.ip_address = "127.0.0.1";
  e.transaction_id = "my8o9s9SI282NR1YpKNq";
  e.debug_data["requestId"] = e.transaction_id;
  e.debug_data["requestUri"] = "/oauth2/ausGDJSFMrfx0JsnCp34/v1/token";
  e.debug_data["grantType"] = "client_credentials";
  e.debug_data["requestedScopes"] = "bench.read";
  e.actor = {"0oaVpXqWBXWcnB7vvGhP", "PublicClientApp", "0oaVpXqWBXWcnB7vvGhP", "svc-24566-mx0x67gj-1"};
  e.client.id = e.actor.id;
  e.target.push_back({e.actor.id, "AppInstance", e.actor.display_name, e.actor.display_name, {}});
  e.target.push_back({"ausGDJSFMrfx0JsnCp34", "AuthorizationServer",
                      "http://127.0.0.1:34723/oauth2/ausGDJSFMrfx0JsnCp34", "bench-es256", {}});
  e.debug_data["authorizationServerName"] = "bench-es256";
  e.event_type = "app.oauth2.as.token.grant.access_token";
  e.display_message = "OAuth2 access token is granted";
  e.debug_data["grantedScopes"] = "bench.read";
  e.debug_data["tokenType"] = "Bearer";
  return e;
}

// A store that takes every batch and keeps nothing: the queue's buffers are recycled as in the
// server, without the cost of writing.
class DiscardingStore final : public gh::store::Store {
 public:
  using Orgs = std::vector<gh::domain::Org>;
  gh::Result<Orgs> list_orgs() override { return Orgs{}; }
  gh::Result<gh::store::OrgSnapshot> load_org(const std::string&, gh::store::ApiTokenSink&) override {
    return gh::store::OrgSnapshot{};
  }
  gh::Result<void> create_org(const gh::domain::Org&, const gh::store::ChangeSet&) override { return {}; }
  gh::Result<void> commit(const std::string&, const gh::store::ChangeSet&) override { return {}; }
  gh::Result<void> record_token_use(const std::vector<gh::store::TokenUse>&) override { return {}; }
  gh::Result<void> append_events(const gh::store::EventBatch&) override { return {}; }
  gh::Result<std::vector<gh::store::EventRow>> query_events(const std::string&, const gh::store::EventQuery&) override {
    return std::vector<gh::store::EventRow>{};
  }
  gh::Result<std::size_t> prune_events(gh::domain::Millis, std::size_t) override { return std::size_t{0}; }
};

// The same event as views (store::EventFields), the way token_events.cpp queues it.
void push_token_event(gh::store::EventQueue& queue, gh::core::Random& random) {
  using gh::store::EventFields;
  static const gh::domain::LogEvent e = [] {
    gh::core::SecureRandom r;
    return token_event(r);
  }();
  const auto uuid = gh::domain::new_event_uuid(random);
  EventFields f;
  f.display_message = e.display_message;
  f.actor = {e.actor.id, e.actor.type, e.actor.alternate_id, e.actor.display_name};
  f.client = {e.client.id, e.client.ip_address, e.client.user_agent};
  const EventFields::Target targets[] = {
      {e.target[0].id, e.target[0].type, e.target[0].alternate_id, e.target[0].display_name},
      {e.target[1].id, e.target[1].type, e.target[1].alternate_id, e.target[1].display_name}};
  f.targets = targets;
  f.transaction_id = e.transaction_id;
  const EventFields::Debug debug[] = {
      {"requestId", e.transaction_id},        {"requestUri", "/oauth2/ausGDJSFMrfx0JsnCp34/v1/token"},
      {"grantType", "client_credentials"},    {"requestedScopes", "bench.read"},
      {"authorizationServerName", "bench-es256"}, {"grantedScopes", "bench.read"},
      {"tokenType", "Bearer"}};
  f.debug_data = debug;
  queue.push("00oBench", uuid, e.event_type, e.published, f);
}

// The request thread's share: encode and queue one event (the queue is flushed every 10,000
// events, as the server's writer empties it every second).
void EventRequestSide(benchmark::State& state) {
  gh::core::SecureRandom random;
  gh::store::EventQueue queue(1'000'000);
  DiscardingStore discard;
  std::size_t n = 0;
  for (auto _ : state) {
    push_token_event(queue, random);
    if (++n % 10'000 == 0) {
      state.PauseTiming();
      (void)queue.flush(discard);
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
}

// The writer thread's share: one transaction of `range(0)` queued events into SQLite (WAL,
// synchronous=FULL, the server's settings), per event.
void EventWriterSide(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() / ("gh-event-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    auto store = gh::store::open_sqlite_store((dir / "bench.db").string());
    gh::core::SecureRandom random;
    gh::store::EventQueue queue(1'000'000);
    const auto batch = static_cast<std::size_t>(state.range(0));
    std::size_t n = 0;
    for (auto _ : state) {
      state.PauseTiming();
      for (std::size_t i = 0; i < batch; ++i) push_token_event(queue, random);
      state.ResumeTiming();
      if (!queue.flush(*store)) state.SkipWithError("flush failed");
      n += batch;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(n));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace

BENCHMARK(EventRequestSide);
BENCHMARK(EventWriterSide)->Arg(10'000)->Unit(benchmark::kMillisecond)->MinTime(3.0);
