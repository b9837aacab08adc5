#include "store/event_record.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/json_text.hpp"

namespace gh::store {
namespace {
namespace json = boost::json;

constexpr int kVersion = 1;

void str(std::string& out, std::string_view s) { core::append_json_string(out, s); }
void object(std::string& out, const json::object& o) { o.empty() ? void(out += "{}") : void(out += json::serialize(o)); }

std::string text_at(const json::array& a, std::size_t i) {
  if (i >= a.size() || !a[i].is_string()) return {};
  auto& s = a[i].get_string();
  return {s.data(), s.size()};
}
const json::array* array_at(const json::array& a, std::size_t i) {
  return i < a.size() ? a[i].if_array() : nullptr;
}
json::object object_at(const json::array& a, std::size_t i) {
  if (i >= a.size() || !a[i].is_object()) return {};
  return json::object(a[i].get_object(), json::storage_ptr());  // copied out of the parse's arena
}
}  // namespace

// [1, displayMessage, severity, [actor id, type, alternateId, displayName],
//  [client id, ipAddress, userAgent], [outcome result, reason],
//  [[target id, type, alternateId, displayName, detailEntry], ...],
//  [transaction type, id, detail], debugData, credentialType]
void encode_event_record(const domain::LogEvent& e, std::string& out) {
  out += "[1,";
  str(out, e.display_message), out += ',';
  str(out, e.severity), out += ",[";
  str(out, e.actor.id), out += ',', str(out, e.actor.type), out += ',';
  str(out, e.actor.alternate_id), out += ',', str(out, e.actor.display_name), out += "],[";
  str(out, e.client.id), out += ',', str(out, e.client.ip_address), out += ',', str(out, e.client.user_agent);
  out += "],[";
  str(out, e.outcome_result), out += ',', str(out, e.outcome_reason), out += "],[";
  for (std::size_t i = 0; i < e.target.size(); ++i) {
    auto& t = e.target[i];
    out += i ? ",[" : "[";
    str(out, t.id), out += ',', str(out, t.type), out += ',', str(out, t.alternate_id), out += ',';
    str(out, t.display_name), out += ',', object(out, t.detail_entry), out += ']';
  }
  out += "],[";
  str(out, e.transaction_type), out += ',', str(out, e.transaction_id), out += ',';
  object(out, e.transaction_detail), out += "],";
  object(out, e.debug_data), out += ',';
  str(out, e.credential_type), out += ']';
}

void encode_event_record(const EventFields& e, std::string& out) {
  out += "[1,";
  str(out, e.display_message), out += ',';
  str(out, e.severity), out += ",[";
  str(out, e.actor[0]), out += ',', str(out, e.actor[1]), out += ',';
  str(out, e.actor[2]), out += ',', str(out, e.actor[3]), out += "],[";
  str(out, e.client[0]), out += ',', str(out, e.client[1]), out += ',', str(out, e.client[2]);
  out += "],[";
  str(out, e.outcome_result), out += ',', str(out, e.outcome_reason), out += "],[";
  for (std::size_t i = 0; i < e.targets.size(); ++i) {
    auto& t = e.targets[i];
    out += i ? ",[" : "[";
    str(out, t[0]), out += ',', str(out, t[1]), out += ',', str(out, t[2]), out += ',';
    str(out, t[3]), out += ",{}]";
  }
  out += "],[";
  str(out, e.transaction_type), out += ',', str(out, e.transaction_id), out += ",{}],";
  if (e.debug_data.empty()) out += "{}";
  for (std::size_t i = 0; i < e.debug_data.size(); ++i) {
    out += i ? ',' : '{';
    str(out, e.debug_data[i].first), out += ':', str(out, e.debug_data[i].second);
  }
  if (!e.debug_data.empty()) out += '}';
  out += ',';
  str(out, e.credential_type), out += ']';
}

std::string render_stored_event(std::string_view uuid, domain::Millis published, std::string_view event_type,
                                std::string_view record) {
  if (!record.empty() && record.front() == '{') return std::string(record);  // the Okta JSON itself
  domain::LogEvent e;
  e.uuid = uuid;
  e.published = published;
  e.event_type = event_type;
  unsigned char buf[4096];
  json::monotonic_resource mr(buf, sizeof buf);
  boost::system::error_code ec;
  auto v = json::parse(record, ec, &mr);
  // A record this version cannot read still renders with its columns (never seen but on
  // corruption; the columns are what the query matched).
  auto* a = ec ? nullptr : v.if_array();
  if (!a || a->empty() || !(*a)[0].is_int64() || (*a)[0].get_int64() != kVersion) return domain::render_json(e);
  e.display_message = text_at(*a, 1);
  e.severity = text_at(*a, 2);
  if (auto* x = array_at(*a, 3)) e.actor = {text_at(*x, 0), text_at(*x, 1), text_at(*x, 2), text_at(*x, 3)};
  if (auto* x = array_at(*a, 4)) e.client = {text_at(*x, 0), text_at(*x, 1), text_at(*x, 2)};
  if (auto* x = array_at(*a, 5)) e.outcome_result = text_at(*x, 0), e.outcome_reason = text_at(*x, 1);
  if (auto* x = array_at(*a, 6))
    for (auto& t : *x)
      if (auto* y = t.if_array())
        e.target.push_back({text_at(*y, 0), text_at(*y, 1), text_at(*y, 2), text_at(*y, 3), object_at(*y, 4)});
  if (auto* x = array_at(*a, 7)) {
    e.transaction_type = text_at(*x, 0);
    e.transaction_id = text_at(*x, 1);
    e.transaction_detail = object_at(*x, 2);
  }
  e.debug_data = object_at(*a, 8);
  e.credential_type = text_at(*a, 9);
  return domain::render_json(e);
}

}  // namespace gh::store
