#pragma once
// SQL of the System Log table (migrations/0001_schema.sql, "events"). Called by PgStore with its
// mutex held; none of these opens or ends a transaction. Same semantics as store/sqlite/event_log.
#include <cstdint>
#include <string>
#include <vector>

#include "store/errc.hpp"
#include "store/event_batch.hpp"
#include "store/postgres/conn.hpp"
#include "store/store.hpp"

namespace gh::store::pg {

Errc insert_event(Conn& c, const EventView& e);
// Every event of the batch, in order (several rows per statement).
Errc insert_events(Conn& c, const EventBatch& events);
// The rows of `org_id` that `q` selects, in q.order.
Errc select_events(Conn& c, const std::string& org_id, const EventQuery& q, std::vector<EventRow>& out);
// Deletes the events published before `cutoff` among the `max_rows` oldest (in seq order).
Errc delete_events_before(Conn& c, domain::Millis cutoff, std::size_t max_rows, std::size_t& deleted);

}  // namespace gh::store::pg
