// The System Log writer's instructions per token event, deterministic (issue 20): BATCHES flushes
// of EVENTS token events each into a fresh SQLite store (the server's settings), run under
// callgrind with only EventQueue::flush counted:
//   valgrind --tool=callgrind --toggle-collect='gh::store::EventQueue::flush*' build/gh_event_writer EVENTS BATCHES
// Ir / (EVENTS * BATCHES) is the writer's share of one token at that batch size (measure.sh's
// runs see ~15 events a batch; a server at 10,000 tokens/s sees ~1,000).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "../micro/bench_token_grant.hpp"
#include "core/random.hpp"
#include "domain/token_grant_event.hpp"
#include "store/event_queue.hpp"
#include "store/sqlite/sqlite_store.hpp"

int main(int argc, char** argv) {
  const std::size_t events = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 15;
  const std::size_t batches = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 200;
  auto dir = std::filesystem::temp_directory_path() / ("gh-event-writer-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  int rc = 0;
  {
    auto store = gh::store::open_sqlite_store((dir / "gatehouse.db").string());
    gh::core::SeededRandom random(42);
    gh::store::EventQueue queue(1'000'000);
    const auto g = gh::bench::es256_token_grant();  // as the ES256 benchmark's requests record it
    gh::domain::Millis published = 1'795'000'000'000;
    for (std::size_t b = 0; b < batches; ++b) {
      for (std::size_t i = 0; i < events; ++i)
        queue.push("00oBenchOrg0000000001", gh::domain::new_event_uuid(random), published++, g);
      if (!queue.flush(*store)) {
        std::fprintf(stderr, "flush failed\n");
        rc = 1;
        break;
      }
    }
  }
  std::filesystem::remove_all(dir);
  return rc;
}
