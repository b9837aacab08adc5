#include "store/event_batch.hpp"

#include "store/event_record.hpp"

namespace gh::store {

void EventBatch::add(const EventView& v) {
  Entry e{text_.size(), static_cast<std::uint32_t>(v.org_id.size()), static_cast<std::uint32_t>(v.uuid.size()),
          static_cast<std::uint32_t>(v.event_type.size()), static_cast<std::uint32_t>(v.record.size()), v.published};
  text_.append(v.org_id).append(v.uuid).append(v.event_type).append(v.record);
  entries_.push_back(e);
}

void EventBatch::add(std::string_view org_id, const domain::LogEvent& e) {
  std::string record;
  encode_event_record(e, record);
  add({org_id, e.uuid, e.event_type, record, e.published});
}

void EventBatch::append(const EventBatch& other) {
  const auto base = text_.size();
  text_ += other.text_;
  entries_.reserve(entries_.size() + other.entries_.size());
  for (auto e : other.entries_) {
    e.at += base;
    entries_.push_back(e);
  }
}

void EventBatch::truncate(std::size_t n) {
  if (n >= entries_.size()) return;
  text_.resize(entries_[n].at);
  entries_.resize(n);
}

EventView EventBatch::operator[](std::size_t i) const {
  const auto& e = entries_[i];
  std::string_view t(text_);
  auto at = e.at;
  auto next = [&](std::uint32_t len) {
    auto s = t.substr(at, len);
    at += len;
    return s;
  };
  EventView v;
  v.org_id = next(e.org_len);
  v.uuid = next(e.uuid_len);
  v.event_type = next(e.type_len);
  v.record = next(e.record_len);
  v.published = e.published;
  return v;
}

}  // namespace gh::store
