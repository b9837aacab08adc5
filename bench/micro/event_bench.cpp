// Micro-benchmark of System Log token events (issue 4: "recording token events costs less than
// 10% of token-endpoint throughput"). Splits what one event costs between the request thread
// (encode the event's varying members as oauth/token_endpoint/token_events.cpp does, and queue
// them) and
// the writer thread (one flush of a second's worth of events into a real SQLite store).
// Run: build/gh_micro_bench --benchmark_filter=Event
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "bench_token_grant.hpp"
#include "core/random.hpp"
#include "domain/token_grant_event.hpp"
#include "store/event_queue.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

// A store that takes every batch and keeps nothing: the queue's buffers are recycled as in the
// server, without the cost of writing.
class DiscardingStore final : public gh::store::Store {
 public:
  using Orgs = std::vector<gh::domain::Org>;
  gh::Result<Orgs> list_orgs() override { return Orgs{}; }
  gh::Result<gh::store::OrgSnapshot> load_org(const gh::core::OrgId&, gh::store::ApiTokenSink&) override {
    return gh::store::OrgSnapshot{};
  }
  gh::Result<void> create_org(const gh::domain::Org&, const gh::store::ChangeSet&) override { return {}; }
  gh::Result<void> commit(const gh::core::OrgId&, const gh::store::ChangeSet&) override { return {}; }
  gh::Result<void> record_token_use(const std::vector<gh::store::TokenUse>&) override { return {}; }
  gh::Result<void> append_events(const gh::store::EventBatch&) override { return {}; }
  gh::Result<std::vector<gh::store::EventRow>> query_events(const gh::core::OrgId&, const gh::store::EventQuery&) override {
    return std::vector<gh::store::EventRow>{};
  }
  gh::Result<std::size_t> prune_events(gh::domain::Millis, std::size_t) override { return std::size_t{0}; }
};

// The same event as the token endpoint queues it: its varying members (domain::TokenGrant).
void push_token_event(gh::store::EventQueue& queue, gh::core::Random& random) {
  const auto g = gh::bench::es256_token_grant();
  queue.push("00oBench", gh::domain::new_event_uuid(random), 1'795'000'000'000, g);
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
