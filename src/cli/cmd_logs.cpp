// gatehouse logs tail [--filter EXPR] [--since TIME] [--once] [--limit N] [--interval S]:
// the System Log, polled by following its rel="next" link (okta-compat.md §2, /api/v1/logs).
#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/client_common.hpp"
#include "core/clock.hpp"
#include "core/time_format.hpp"

namespace gh::cli {
namespace {

class Logs final : public CommandGroup {
 public:
  explicit Logs(CLI::App& app) {
    auto* group = app.add_subcommand("logs", "The System Log");
    group->require_subcommand(1);
    tail_ = group->add_subcommand("tail", "Print events as they arrive");
    tail_->add_option("--filter", filter_, "SCIM filter, e.g. eventType eq \"user.session.start\"");
    tail_->add_option("--since", since_, "Start at this ISO 8601 time (default: the last hour)");
    tail_->add_flag("--once", once_, "One request, then exit");
    tail_->add_option("--limit", limit_, "Exit after this many events");
    tail_->add_option("--interval", interval_, "Seconds between polls")->check(CLI::Range(1, 3600));
    tail_->add_flag("--json", json_, "One JSON object per line");
  }

  std::optional<int> run() override {
    if (!tail_->parsed()) return std::nullopt;
    auto s = open_session();
    if (!s.api) return s.exit;
    if (since_.empty()) {
      since_ = core::format_iso8601(core::SystemClock().now() - std::chrono::hours(1));
    }
    std::string next;
    auto page = s.api->logs(since_, filter_, limit_ && limit_ < 100 ? limit_ : 100, &next);
    std::size_t printed = 0;
    for (;;) {
      if (!page) return fail("logs tail", page.error());
      for (auto& e : *page) {
        if (json_) {
          print_json(e);
        } else {
          std::cout << text(e, {"published"}) << "  " << text(e, {"eventType"}) << "  "
                    << text(e, {"outcome", "result"}) << "  " << text(e, {"actor", "alternateId"}) << "  "
                    << text(e, {"displayMessage"}) << "\n";
        }
        std::cout.flush();
        if (limit_ && ++printed >= limit_) return kOk;
      }
      if (once_ || next.empty()) return kOk;
      // A full page: the next one right away; otherwise wait for new events.
      if (page->size() < 100) std::this_thread::sleep_for(std::chrono::seconds(interval_));
      auto url = next;
      page = s.api->logs_page(url, &next);
    }
  }

 private:
  CLI::App* tail_;
  std::string filter_, since_;
  bool once_ = false, json_ = false;
  std::size_t limit_ = 0;
  int interval_ = 5;
};

}  // namespace

std::unique_ptr<CommandGroup> add_logs(CLI::App& app) { return std::make_unique<Logs>(app); }

}  // namespace gh::cli
