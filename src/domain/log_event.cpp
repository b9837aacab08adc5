#include "domain/log_event.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/json_text.hpp"
#include "core/time_format.hpp"

namespace gh::domain {
namespace {
namespace json = boost::json;

// A direct writer of the event's JSON (the System Log's read path, and `to_json`'s source).
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void raw(std::string_view s) { out_ += s; }
  void str(std::string_view s) { core::append_json_string(out_, s); }
  // ,"key": (the comma unless first in its object)
  Writer& key(std::string_view k, bool first = false) {
    if (!first) out_ += ',';
    out_ += '"';
    out_ += k;  // keys are literals of this file: nothing to escape
    out_ += "\":";
    return *this;
  }
  void or_null(std::string_view s) { s.empty() ? raw("null") : str(s); }
  // Okta writes "unknown" where an alternateId has no value (MGMT-OAS ListLogs example).
  void or_unknown(std::string_view s) { str(s.empty() ? std::string_view("unknown") : s); }
  void object(const json::object& o) { out_ += json::serialize(o); }
  void object_or_null(const json::object& o) { o.empty() ? raw("null") : object(o); }

 private:
  std::string& out_;
};

std::string_view ip_version(std::string_view ip) {
  return ip.find(':') != std::string_view::npos ? "V6" : "V4";
}

void write_client(Writer& w, const LogClient& c) {
  w.key("userAgent", true);
  if (c.user_agent.empty()) {
    w.raw("null");
  } else {
    w.raw("{");
    w.key("rawUserAgent", true).str(c.user_agent);
    w.key("os").str("Unknown");
    w.key("browser").str("UNKNOWN");
    w.raw("}");
  }
  w.key("zone").raw("null");
  w.key("device").str("Unknown");
  w.key("id").or_null(c.id);
  w.key("ipAddress").or_null(c.ip_address);
  w.key("geographicalContext").raw("null");
}

void write_target(Writer& w, const LogTarget& t) {
  w.raw("{");
  w.key("id", true).str(t.id);
  w.key("type").str(t.type);
  w.key("alternateId").or_unknown(t.alternate_id);
  w.key("displayName").or_unknown(t.display_name);
  w.key("detailEntry").object_or_null(t.detail_entry);
  w.raw("}");
}
}  // namespace

std::string render_json(const LogEvent& e) {
  std::string out;
  out.reserve(1536);  // a token event is about 1.3 KB: one allocation
  render_json(e, out);
  return out;
}

void render_json(const LogEvent& e, std::string& out) {
  Writer w(out);
  w.raw("{");
  w.key("uuid", true).str(e.uuid);
  w.key("published").str(core::format_iso8601(core::from_epoch_ms(e.published)));
  w.key("eventType").str(e.event_type);
  w.key("version").str("0");
  w.key("severity").str(e.severity);
  w.key("displayMessage").str(e.display_message);
  w.key("legacyEventType").raw("null");
  w.key("actor").raw("{");
  w.key("id", true).str(e.actor.id);
  w.key("type").str(e.actor.type);
  w.key("alternateId").or_unknown(e.actor.alternate_id);
  w.key("displayName").or_unknown(e.actor.display_name);
  w.key("detailEntry").raw("null}");
  w.key("client").raw("{");
  write_client(w, e.client);
  w.raw("}");
  w.key("outcome").raw("{");
  w.key("result", true).str(e.outcome_result);
  w.key("reason").or_null(e.outcome_reason);
  w.raw("}");
  w.key("target").raw("[");
  for (std::size_t i = 0; i < e.target.size(); ++i) {
    if (i) w.raw(",");
    write_target(w, e.target[i]);
  }
  w.raw("]");
  w.key("transaction").raw("{");
  w.key("type", true).str(e.transaction_type);
  w.key("id").or_null(e.transaction_id);
  w.key("detail").object(e.transaction_detail);
  w.raw("}");
  w.key("debugContext").raw("{");
  w.key("debugData", true).object(e.debug_data);
  w.raw("}");
  w.key("authenticationContext").raw("{");
  w.key("authenticationProvider", true).raw("null");
  w.key("credentialProvider").raw("null");
  w.key("credentialType").or_null(e.credential_type);
  w.key("issuer").raw("null");
  w.key("interface").raw("null");
  w.key("authenticationStep").raw("0");
  w.key("externalSessionId").str("unknown");
  w.raw("}");
  w.key("securityContext").raw("{");
  w.key("asNumber", true).raw("null");
  w.key("asOrg").raw("null");
  w.key("isp").raw("null");
  w.key("domain").raw("null");
  w.key("isProxy").raw("null");
  w.raw("}");
  w.key("request").raw("{");
  w.key("ipChain", true).raw("[");
  if (!e.client.ip_address.empty()) {
    w.raw("{");
    w.key("ip", true).str(e.client.ip_address);
    w.key("geographicalContext").raw("null");
    w.key("version").str(ip_version(e.client.ip_address));
    w.key("source").raw("null");
    w.raw("}");
  }
  w.raw("]}}");
}

json::object to_json(const LogEvent& e) { return json::parse(render_json(e)).as_object(); }

std::string new_event_uuid(core::Random& random) {
  std::array<std::uint8_t, 16> b{};
  random.fill(b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // RFC 9562 §5.4: version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');  // 8-4-4-4-12 hex digits, written in place
  char* p = out.data();
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++p;
    *p++ = kHex[b[i] >> 4];
    *p++ = kHex[b[i] & 15];
  }
  return out;
}

std::string_view sanitize_user_agent(std::string_view ua, std::string& buf) {
  constexpr std::size_t kMax = 512;
  auto fit = [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; };
  if (ua.size() <= kMax && std::all_of(ua.begin(), ua.end(), fit)) return ua;
  buf.clear();
  for (char c : ua) {
    if (buf.size() >= kMax) break;
    if (fit(c)) buf += c;
  }
  return buf;
}

std::string sanitize_user_agent(std::string_view ua) {
  std::string buf;
  return std::string(sanitize_user_agent(ua, buf));
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
