#pragma once
// A System Log event at rest (issue #4: the token endpoint writes one per request, so what is
// written per event is kept small). The record is a JSON array of the LogEvent's members in a
// fixed order, without the uuid, published and eventType columns stored beside it and without
// the members every event has the same; the Okta rendering (domain::render_json) is made from
// it when events are read. Rows written before the record form hold the Okta JSON object itself.
#include <string>
#include <string_view>

#include "domain/log_event.hpp"
#include "domain/token_grant_event.hpp"

namespace gh::store {

void encode_event_record(const domain::LogEvent& e, std::string& out);  // appends to `out`

// A token request's event (domain/token_grant_event.hpp) as record version 2: its varying members
// only, about a third of the LogEvent's record; rendered as the LogEvent it stands for.
void encode_token_grant(const domain::TokenGrant& g, std::string& out);  // appends to `out`

// The event as Okta renders it, from its columns and its record.
std::string render_stored_event(std::string_view uuid, domain::Millis published, std::string_view event_type,
                                std::string_view record);

}  // namespace gh::store
