#pragma once
// A System Log event at rest (issue #4: the token endpoint writes one per request, so what is
// written per event is kept small). The record is a JSON array of the LogEvent's members in a
// fixed order, without the uuid, published and eventType columns stored beside it and without
// the members every event has the same; the Okta rendering (domain::render_json) is made from
// it when events are read. Rows written before the record form hold the Okta JSON object itself.
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "domain/log_event.hpp"

namespace gh::store {

void encode_event_record(const domain::LogEvent& e, std::string& out);  // appends to `out`

// An event's members as views, for a caller that has them at hand and builds no LogEvent: the
// token endpoint records one event per request (issue #4). Targets carry no detailEntry, there is
// no transaction detail, and debugData holds strings only. It encodes to the same bytes as the
// LogEvent with the same members.
struct EventFields {
  using Target = std::array<std::string_view, 4>;               // id, type, alternateId, displayName
  using Debug = std::pair<std::string_view, std::string_view>;  // a debugData member, a string
  std::string_view display_message;
  std::string_view severity = domain::severity::info;
  std::array<std::string_view, 4> actor;   // id, type, alternateId, displayName
  std::array<std::string_view, 3> client;  // id, ipAddress, userAgent
  std::string_view outcome_result = domain::outcome::success;
  std::string_view outcome_reason;
  std::span<const Target> targets;
  std::string_view transaction_type = "WEB";
  std::string_view transaction_id;
  std::span<const Debug> debug_data;
  std::string_view credential_type;
};
void encode_event_record(const EventFields& e, std::string& out);  // appends to `out`

// The event as Okta renders it, from its columns and its record.
std::string render_stored_event(std::string_view uuid, domain::Millis published, std::string_view event_type,
                                std::string_view record);

}  // namespace gh::store
