#include "store/event_record.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/json_text.hpp"

namespace gh::store {
namespace {
namespace json = boost::json;

constexpr int kVersion = 1;
constexpr int kTokenGrantVersion = 2;

void str(std::string& out, std::string_view s) { core::append_json_string(out, s); }
void object(std::string& out, const json::object& o) { o.empty() ? void(out += "{}") : void(out += json::serialize(o)); }

std::string_view view_at(const json::array& a, std::size_t i) {
  if (i >= a.size() || !a[i].is_string()) return {};
  auto& s = a[i].get_string();
  return {s.data(), s.size()};
}
std::string text_at(const json::array& a, std::size_t i) { return std::string(view_at(a, i)); }
const json::array* array_at(const json::array& a, std::size_t i) {
  return i < a.size() ? a[i].if_array() : nullptr;
}
json::object object_at(const json::array& a, std::size_t i) {
  if (i >= a.size() || !a[i].is_object()) return {};
  return json::object(a[i].get_object(), json::storage_ptr());  // copied out of the parse's arena
}

// Record version 2 (encode_token_grant), with `e`'s columns.
std::string render_token_grant(const domain::LogEvent& columns, const json::array& a) {
  domain::TokenGrant g;
  auto flags = a[1].get_int64();
  g.granted = flags & 1;
  g.org_as = flags & 2;
  g.client_id = view_at(a, 2), g.client_label = view_at(a, 3);
  g.ip_address = view_at(a, 4), g.user_agent = view_at(a, 5);
  g.request_id = view_at(a, 6), g.request_uri = view_at(a, 7);
  g.has_grant_type = a[8].is_string(), g.grant_type = view_at(a, 8);
  g.has_requested_scopes = a[9].is_string(), g.requested_scopes = view_at(a, 9);
  g.as_id = view_at(a, 10), g.as_issuer = view_at(a, 11), g.as_name = view_at(a, 12);
  if (g.granted)
    g.granted_scopes = view_at(a, 13), g.token_type = view_at(a, 14);
  else
    g.error = view_at(a, 13), g.error_description = view_at(a, 14);
  auto e = domain::token_grant_event(g);
  e.uuid = columns.uuid;
  e.published = columns.published;
  e.event_type = columns.event_type;
  return domain::render_json(e);
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

// [2, flags, clientId, clientLabel, ipAddress, userAgent, requestId, requestUri, grantType|null,
//  requestedScopes|null, asId, asIssuer, asName, a, b]; flags: 1 granted, 2 org AS; a, b:
//  grantedScopes, tokenType when granted, error, errorDescription when refused.
void encode_token_grant(const domain::TokenGrant& g, std::string& out) {
  out += "[2,";
  out += static_cast<char>('0' + (g.granted ? 1 : 0) + (g.org_as ? 2 : 0));
  for (auto v : {g.client_id, g.client_label, g.ip_address, g.user_agent, g.request_id, g.request_uri})
    out += ',', str(out, v);
  out += ',', g.has_grant_type ? str(out, g.grant_type) : void(out += "null");
  out += ',', g.has_requested_scopes ? str(out, g.requested_scopes) : void(out += "null");
  for (auto v : {g.as_id, g.as_issuer, g.as_name}) out += ',', str(out, v);
  if (g.granted)
    out += ',', str(out, g.granted_scopes), out += ',', str(out, g.token_type);
  else
    out += ',', str(out, g.error), out += ',', str(out, g.error_description);
  out += ']';
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
  if (a && a->size() == 15 && (*a)[0].is_int64() && (*a)[0].get_int64() == kTokenGrantVersion && (*a)[1].is_int64())
    return render_token_grant(e, *a);
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
