#pragma once
// System Log events that record no change of their own (token issued or refused, first use of an
// API token, rate-limit violations) are queued in memory and written in batches by the writer
// thread ten times a second (DESIGN.md "Request path"): the token endpoint never waits on disk,
// and a crash loses at most the last second of them — never a change, whose events are written
// in the change's own transaction (store::AppendEvent).
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "store/event_batch.hpp"
#include "store/event_record.hpp"
#include "store/store.hpp"

namespace gh::store {

class EventQueue {
 public:
  // At most `capacity` events wait; beyond that new events are dropped and counted, so that a
  // flood of refused requests cannot exhaust memory.
  explicit EventQueue(std::size_t capacity = 100'000) : capacity_(capacity) {}
  // Encodes `e` on the calling thread (into that thread's scratch buffer) and queues the bytes.
  void push(std::string_view org_id, const domain::LogEvent& e);  // thread-safe
  // A token request's event, stored as its varying members (the token endpoint's one event per
  // request): no LogEvent is built.
  void push(std::string_view org_id, std::string_view uuid, domain::Millis published,
            const domain::TokenGrant& grant);  // thread-safe
  EventBatch take();                                             // thread-safe
  std::uint64_t take_dropped();                                  // dropped since the last call
  std::size_t size();                                            // events waiting; thread-safe

  // Writes what is queued in one transaction (the writer thread calls this every 100 ms).
  // Events whose write failed are put back, ahead of newer ones, for the next flush. The
  // written batch's memory is kept for the next one while events keep coming, and given back
  // after a flush that found none.
  Result<std::size_t> flush(Store& store);

 private:
  static constexpr std::size_t kKeepBytes = 64u << 20;  // a larger spare batch is freed

  void add(const EventView& v);

  std::size_t capacity_;
  std::mutex mu_;
  EventBatch pending_;
  EventBatch spare_;  // an emptied batch, reused by the next take()
  std::uint64_t dropped_ = 0;
};

}  // namespace gh::store
