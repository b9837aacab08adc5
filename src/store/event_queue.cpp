#include "store/event_queue.hpp"

#include <spdlog/spdlog.h>

#include <string>
#include <utility>

namespace gh::store {

namespace {
// The calling thread's record buffer: it keeps its memory, so there is no allocation per event.
std::string& scratch() {
  thread_local std::string record;
  record.clear();
  return record;
}
}  // namespace

void EventQueue::push(std::string_view org_id, const domain::LogEvent& e) {
  auto& record = scratch();
  encode_event_record(e, record);
  add({org_id, e.uuid, e.event_type, record, e.published});
}

void EventQueue::push(std::string_view org_id, std::string_view uuid, domain::Millis published,
                      const domain::TokenGrant& grant) {
  auto& record = scratch();
  encode_token_grant(grant, record);
  add({org_id, uuid, domain::token_grant_event_type(grant), record, published});
}

void EventQueue::add(const EventView& v) {
  std::lock_guard lk(mu_);
  if (pending_.size() >= capacity_) {
    ++dropped_;
    return;
  }
  pending_.add(v);
}

EventBatch EventQueue::take() {
  std::lock_guard lk(mu_);
  EventBatch out = std::exchange(pending_, std::move(spare_));
  spare_ = EventBatch{};
  pending_.clear();
  return out;
}

std::uint64_t EventQueue::take_dropped() {
  std::lock_guard lk(mu_);
  return std::exchange(dropped_, 0);
}

std::size_t EventQueue::size() {
  std::lock_guard lk(mu_);
  return pending_.size();
}

Result<std::size_t> EventQueue::flush(Store& store) {
  if (auto d = take_dropped()) spdlog::warn("system log queue full: events dropped={}", d);
  auto batch = take();
  if (batch.empty()) {
    std::lock_guard lk(mu_);  // a quiet tick: give the buffers back
    if (pending_.empty()) pending_ = EventBatch{};
    spare_ = EventBatch{};
    return std::size_t{0};
  }
  if (auto r = store.append_events(batch); !r) {
    std::lock_guard lk(mu_);
    // Keep the oldest within capacity; what does not fit is dropped (and counted).
    batch.append(pending_);
    if (batch.size() > capacity_) {
      dropped_ += batch.size() - capacity_;
      batch.truncate(capacity_);
    }
    pending_ = std::move(batch);
    return r.error();
  }
  const auto n = batch.size();
  batch.clear();
  if (batch.capacity_bytes() <= kKeepBytes) {
    std::lock_guard lk(mu_);
    spare_ = std::move(batch);
  }
  return n;
}

}  // namespace gh::store
