#include "server/change_feed.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <vector>

#include "store/errc.hpp"

namespace gh::server {
namespace {
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;
// An idle connection is checked this often (a round trip), so that a database that went away
// without closing it turns readiness off within about a second more.
constexpr auto kPingEvery = 1s;
// How long a wait lasts when nothing happens (stop() wakes it at once).
constexpr auto kWait = 250ms;

}  // namespace

std::chrono::milliseconds Backoff::next() {
  auto d = next_;
  next_ = std::min(max_, next_ * 2);
  return d;
}

std::unique_ptr<ChangeFeed> listen_for_changes(const std::string& store_url, std::string node_id, ReloadParts parts,
                                               http::Lane& writer, std::function<void(bool)> set_ready) {
  if (store_url.empty()) return nullptr;
  auto feed = std::make_unique<ChangeFeed>(store_url, std::move(node_id), std::move(parts), writer, std::move(set_ready));
  feed->listen();
  return feed;
}

ChangeFeed::ChangeFeed(std::string url, std::string node_id, ReloadParts parts, http::Lane& writer,
                       std::function<void(bool)> set_ready)
    : listener_(std::move(url)),
      node_id_(std::move(node_id)),
      parts_(std::move(parts)),
      writer_(writer),
      set_ready_(std::move(set_ready)),
      wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

ChangeFeed::~ChangeFeed() {
  stop();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

bool ChangeFeed::listen() {
  if (listener_.connect()) return true;
  spdlog::warn("change feed: cannot listen yet error=\"{}\"", listener_.error());
  return false;
}

void ChangeFeed::start() {
  if (!listener_.connected()) set_ready(false);  // listen() failed: not ready from the first request
  thread_ = std::thread([this] { run(); });
}

void ChangeFeed::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  std::uint64_t one = 1;
  if (wake_fd_ >= 0) [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
}

void ChangeFeed::sleep_for(std::chrono::milliseconds d) {
  pollfd p{wake_fd_, POLLIN, 0};
  ::poll(&p, wake_fd_ >= 0 ? 1 : 0, static_cast<int>(d.count()));
}

void ChangeFeed::set_ready(bool r) {
  if (r == ready_) return;
  ready_ = r;
  set_ready_(r);
  if (r) spdlog::info("ready: the change feed is connected and the model caught up");
  else spdlog::warn("not ready: the change feed lost PostgreSQL error=\"{}\"", listener_.error());
}

// Coalesced: an org waiting for its reload is not posted twice; one that changes while it is
// being reloaded is posted again (its pending mark is taken off before the load starts).
void ChangeFeed::post_reload(const std::string& org_id) {
  {
    std::lock_guard lk(mu_);
    if (!pending_.insert(org_id).second) return;
  }
  writer_.post([this, org_id] {
    {
      std::lock_guard lk(mu_);
      pending_.erase(org_id);
    }
    if (auto r = reload_org(parts_, core::OrgId{org_id}); !r && r.error() != store::Errc::not_found) {
      spdlog::warn("change feed: reload failed org={} error=\"{}\"", org_id, r.error().message());
      std::lock_guard lk(mu_);
      retry_.insert(org_id);
    }
  });
}

void ChangeFeed::post_full_reload(std::uint64_t epoch) {
  writer_.post([this, epoch] {
    if (auto r = reload_all(parts_); r) {
      reloaded_epoch_ = epoch;
    } else {
      spdlog::warn("change feed: full reload failed error=\"{}\"", r.error().message());
      failed_epoch_ = epoch;
    }
  });
}

void ChangeFeed::run() {
  Backoff backoff;
  std::uint64_t epoch = 0, owed = 0;  // owed: the epoch whose full reload readiness waits for
  auto last_io = SteadyClock::now(), retry_at = last_io;
  std::vector<store::ChangeNotice> notices;
  while (!stopping_) {
    if (!listener_.connected()) {
      set_ready(false);  // changes of other nodes may go unheard
      if (!listener_.connect()) {
        sleep_for(backoff.next());
        continue;
      }
      backoff.reset();
      // A notice may have been sent while no connection listened: every org is read again, and
      // readiness waits for it.
      owed = ++epoch;
      post_full_reload(owed);
      spdlog::info("change feed: connected; reloading every org");
      last_io = SteadyClock::now();
    }
    if (owed != 0) {
      if (reloaded_epoch_ == owed) {
        owed = 0;
        set_ready(true);
      } else if (failed_epoch_ == owed) {
        failed_epoch_ = 0;
        sleep_for(backoff.next());
        post_full_reload(owed);
      }
    }
    notices.clear();
    if (!listener_.wait(owed != 0 ? 20ms : kWait, notices, wake_fd_)) {
      spdlog::warn("change feed: connection lost error=\"{}\"", listener_.error());
      continue;
    }
    auto now = SteadyClock::now();
    if (!notices.empty()) last_io = now;
    for (auto& n : notices)
      if (n.node_id != node_id_) post_reload(n.org_id);
    if (now - last_io >= kPingEvery) {
      if (!listener_.ping()) {
        spdlog::warn("change feed: connection lost error=\"{}\"", listener_.error());
        continue;
      }
      last_io = now;
    }
    if (now >= retry_at) {  // reloads that failed (the writer's connection was down): again
      std::set<std::string> again;
      {
        std::lock_guard lk(mu_);
        again.swap(retry_);
      }
      for (auto& org : again) post_reload(org);
      retry_at = now + 1s;
    }
  }
}

}  // namespace gh::server
