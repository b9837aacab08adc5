#pragma once
// Rendered System Log events, back to back in one buffer: the token endpoint queues one event per
// request, and a batch keeps that to a copy into memory it already owns (no allocation per event
// on the request thread, none to free on the writer thread).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/log_event.hpp"

namespace gh::store {

// One event ready to be stored: its org and the columns of the events table.
struct EventView {
  std::string_view org_id, uuid, event_type;
  std::string_view record;  // the rest of the event (store/event_record.hpp)
  domain::Millis published = 0;
};

class EventBatch {
 public:
  void add(const EventView& v);
  void add(std::string_view org_id, const domain::LogEvent& e);  // encodes `e`
  void append(const EventBatch& other);
  void truncate(std::size_t n);  // keeps the first n events
  void clear() { text_.clear(), entries_.clear(); }  // keeps the memory

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::size_t capacity_bytes() const { return text_.capacity() + entries_.capacity() * sizeof(Entry); }
  EventView operator[](std::size_t i) const;

 private:
  struct Entry {
    std::size_t at = 0;  // offset of the org id in text_; the other members follow it
    std::uint32_t org_len = 0, uuid_len = 0, type_len = 0, record_len = 0;
    domain::Millis published = 0;
  };
  std::string text_;
  std::vector<Entry> entries_;
};

}  // namespace gh::store
