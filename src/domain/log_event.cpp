#include "domain/log_event.hpp"

#include <array>
#include <cstdint>

#include "core/time_format.hpp"

namespace gh::domain {
namespace {
namespace json = boost::json;

json::value or_null(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }
json::value or_null(const json::object& o) { return o.empty() ? json::value(nullptr) : json::value(o); }
// Okta writes "unknown" where an alternateId has no value (MGMT-OAS ListLogs example).
json::value or_unknown(const std::string& s) { return json::value(s.empty() ? std::string("unknown") : s); }

std::string_view ip_version(std::string_view ip) {
  return ip.find(':') != std::string_view::npos ? "V6" : "V4";
}

json::object client_json(const LogClient& c) {
  json::value ua = nullptr;
  if (!c.user_agent.empty())
    ua = json::object{{"rawUserAgent", c.user_agent}, {"os", "Unknown"}, {"browser", "UNKNOWN"}};
  return {{"userAgent", std::move(ua)},
          {"zone", nullptr},
          {"device", "Unknown"},
          {"id", or_null(c.id)},
          {"ipAddress", or_null(c.ip_address)},
          {"geographicalContext", nullptr}};
}

json::object target_json(const LogTarget& t) {
  return {{"id", t.id},
          {"type", t.type},
          {"alternateId", or_unknown(t.alternate_id)},
          {"displayName", or_unknown(t.display_name)},
          {"detailEntry", or_null(t.detail_entry)}};
}
}  // namespace

json::object to_json(const LogEvent& e) {
  json::array targets;
  for (auto& t : e.target) targets.push_back(target_json(t));
  json::array ip_chain;
  if (!e.client.ip_address.empty())
    ip_chain.push_back(json::object{{"ip", e.client.ip_address},
                                    {"geographicalContext", nullptr},
                                    {"version", ip_version(e.client.ip_address)},
                                    {"source", nullptr}});
  return {
      {"uuid", e.uuid},
      {"published", core::format_iso8601(core::from_epoch_ms(e.published))},
      {"eventType", e.event_type},
      {"version", "0"},
      {"severity", e.severity},
      {"displayMessage", e.display_message},
      {"legacyEventType", nullptr},
      {"actor", json::object{{"id", e.actor.id},
                             {"type", e.actor.type},
                             {"alternateId", or_unknown(e.actor.alternate_id)},
                             {"displayName", or_unknown(e.actor.display_name)},
                             {"detailEntry", nullptr}}},
      {"client", client_json(e.client)},
      {"outcome", json::object{{"result", e.outcome_result}, {"reason", or_null(e.outcome_reason)}}},
      {"target", std::move(targets)},
      {"transaction", json::object{{"type", e.transaction_type},
                                   {"id", or_null(e.transaction_id)},
                                   {"detail", e.transaction_detail}}},
      {"debugContext", json::object{{"debugData", e.debug_data}}},
      {"authenticationContext", json::object{{"authenticationProvider", nullptr},
                                             {"credentialProvider", nullptr},
                                             {"credentialType", or_null(e.credential_type)},
                                             {"issuer", nullptr},
                                             {"interface", nullptr},
                                             {"authenticationStep", 0},
                                             {"externalSessionId", "unknown"}}},
      {"securityContext", json::object{{"asNumber", nullptr},
                                       {"asOrg", nullptr},
                                       {"isp", nullptr},
                                       {"domain", nullptr},
                                       {"isProxy", nullptr}}},
      {"request", json::object{{"ipChain", std::move(ip_chain)}}},
  };
}

std::string new_event_uuid(core::Random& random) {
  std::array<std::uint8_t, 16> b{};
  random.fill(b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // RFC 9562 §5.4: version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

std::string sanitize_user_agent(std::string_view ua) {
  std::string out;
  for (char c : ua) {
    if (out.size() >= 512) break;
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) out += c;
  }
  return out;
}

LogActor system_actor() { return {"gatehouse", "SystemPrincipal", "system@gatehouse", "Gatehouse"}; }

std::string display_name(const User& u) {
  auto str = [&](const char* k) -> std::string {
    auto* v = u.profile.if_contains(k);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  auto name = str("firstName");
  auto last = str("lastName");
  if (!last.empty()) name += (name.empty() ? "" : " ") + last;
  return name.empty() ? u.login() : name;
}

LogActor user_actor(const User& u) { return {u.id, "User", u.login(), display_name(u)}; }

LogTarget user_target(const User& u) { return {u.id, "User", u.login(), display_name(u), {}}; }

LogTarget group_target(const Group& g) { return {g.id, "UserGroup", "", g.name(), {}}; }

LogTarget token_target(const ApiToken& t) { return {t.id, "Token", "", t.name, {}}; }

}  // namespace gh::domain
