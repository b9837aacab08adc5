#pragma once
// SQL of the System Log table (migrations/0003_system_log.sql). Called by SqliteStore with its
// mutex held; none of these opens or ends a transaction.
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/log_event.hpp"
#include "store/sqlite/db.hpp"
#include "store/store.hpp"

namespace gh::store::sqlite {

// Inserts one event; returns the sqlite3_step code (SQLITE_DONE on success).
int insert_event(Db& db, const EventView& e);
// Inserts every event of the batch, in order (several rows per statement).
int insert_events(Db& db, const EventBatch& events);

// The rows of `org_id` that `q` selects, in q.order; false on a database error.
bool select_events(Db& db, const std::string& org_id, const EventQuery& q, std::vector<EventRow>& out);

// Deletes the events published before `cutoff` among the `max_rows` oldest (in seq order), so at
// most `max_rows`; -1 on error.
std::int64_t delete_events_before(Db& db, domain::Millis cutoff, std::size_t max_rows);

}  // namespace gh::store::sqlite
