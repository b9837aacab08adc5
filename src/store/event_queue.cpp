#include "store/event_queue.hpp"

#include <spdlog/spdlog.h>

#include <iterator>
#include <utility>

namespace gh::store {

void EventQueue::push(std::string org_id, domain::LogEvent e) {
  std::lock_guard lk(mu_);
  if (pending_.size() >= capacity_) {
    ++dropped_;
    return;
  }
  pending_.push_back({std::move(org_id), std::move(e)});
}

std::vector<OrgEvent> EventQueue::take() {
  std::lock_guard lk(mu_);
  std::vector<OrgEvent> next;
  next.reserve(pending_.size());  // about as many next second: no regrowth while requests push
  return std::exchange(pending_, std::move(next));
}

std::uint64_t EventQueue::take_dropped() {
  std::lock_guard lk(mu_);
  return std::exchange(dropped_, 0);
}

Result<std::size_t> EventQueue::flush(Store& store) {
  if (auto d = take_dropped()) spdlog::warn("system log queue full: events dropped={}", d);
  auto batch = take();
  if (batch.empty()) return std::size_t{0};
  if (auto r = store.append_events(batch); !r) {
    std::lock_guard lk(mu_);
    // Keep the oldest within capacity; what does not fit is dropped (and counted).
    auto room = capacity_ > pending_.size() ? capacity_ - pending_.size() : 0;
    if (batch.size() > room) {
      dropped_ += batch.size() - room;
      batch.resize(room);
    }
    pending_.insert(pending_.begin(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
    return r.error();
  }
  return batch.size();
}

}  // namespace gh::store
