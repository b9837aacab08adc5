#include "model/doc_map.hpp"

#include <boost/json/parse.hpp>

namespace gh::model {

namespace {
// As the store always parsed them: a body that is not a JSON object reads as {}.
boost::json::object parse_body(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}
}  // namespace

ParsedDoc::ParsedDoc(domain::Document d) : doc(std::move(d)) {
  if (doc.kind == domain::kind::app)
    client = std::make_unique<const domain::ClientRecord>(domain::parse_client_record(doc.body));
  else if (domain::is_client_child_kind(doc.kind))
    child = std::make_unique<const domain::ClientChildRecord>(domain::parse_client_child_record(doc.kind, doc.body));
}

const ParsedDoc& DocEntry::parsed(std::string_view kind, std::string_view id) const {
  if (auto* p = parsed_.load(std::memory_order_acquire)) return *p;
  // First read: parse. Readers racing here under the shared lock each parse; one wins.
  auto fresh = std::make_unique<ParsedDoc>(
      domain::Document{std::string(kind), std::string(id), parent_.str(), parse_body(text_)});
  ParsedDoc* expected = nullptr;
  if (parsed_.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel)) return *fresh.release();
  return *expected;
}

void DocEntry::replace(domain::Document d) {
  parent_.assign(d.parent);
  text_ = {};
  auto* fresh = new ParsedDoc(std::move(d));
  delete parsed_.exchange(fresh, std::memory_order_acq_rel);
}

void DocMap::link(std::string_view parent, std::string_view id) {
  auto p = by_parent_.find(parent);
  if (p == by_parent_.end()) p = by_parent_.try_emplace(core::SmallString(parent)).first;
  p->second.emplace(id);
}

void DocMap::put(domain::Document d) {
  auto it = by_id_.find(d.id);
  if (it == by_id_.end()) {
    link(d.parent, d.id);
    core::SmallString id(d.id);
    by_id_.try_emplace(std::move(id), std::move(d));
    return;
  }
  if (it->second.parent() != d.parent) {
    if (auto p = by_parent_.find(it->second.parent()); p != by_parent_.end())
      if (auto c = p->second.find(d.id); c != p->second.end()) p->second.erase(c);
    link(d.parent, d.id);
  }
  it->second.replace(std::move(d));
}

void DocMap::put_stored(core::SmallString id, core::SmallString parent, std::string body) {
  auto [it, fresh] = by_id_.try_emplace(std::move(id), std::move(parent), std::move(body));
  if (!fresh) {  // never when loading (ids are the store's keys): the last one wins
    auto key = it->first;  // try_emplace left the arguments alone
    erase(key.view());
    it = by_id_.try_emplace(std::move(key), std::move(parent), std::move(body)).first;
  }
  link(it->second.parent(), it->first.view());
}

void DocMap::erase(std::string_view id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  if (auto p = by_parent_.find(it->second.parent()); p != by_parent_.end())
    if (auto c = p->second.find(id); c != p->second.end()) p->second.erase(c);
  by_id_.erase(it);
}

void DocMap::erase_children(std::string_view parent) {
  auto p = by_parent_.find(parent);
  if (p == by_parent_.end()) return;
  for (auto& child : p->second)
    if (auto it = by_id_.find(child.view()); it != by_id_.end()) by_id_.erase(it);
  by_parent_.erase(p);
}

const domain::Document* DocMap::find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second.get(kind_, it->first);
}

const ParsedDoc* DocMap::find_parsed(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second.parsed(kind_, it->first);
}

std::vector<const domain::Document*> DocMap::children(std::string_view parent) const {
  std::vector<const domain::Document*> out;
  auto p = by_parent_.find(parent);
  if (p == by_parent_.end()) return out;
  out.reserve(p->second.size());
  for (auto& id : p->second)
    if (auto* d = find(id.view())) out.push_back(d);
  return out;
}

std::vector<const ParsedDoc*> DocMap::children_parsed(std::string_view parent) const {
  std::vector<const ParsedDoc*> out;
  auto p = by_parent_.find(parent);
  if (p == by_parent_.end()) return out;
  out.reserve(p->second.size());
  for (auto& id : p->second)
    if (auto* d = find_parsed(id.view())) out.push_back(d);
  return out;
}

}  // namespace gh::model
