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

// Polling (EventOrder::persisted_asc, okta-compat.md §2's polling exception) pages by seq and
// must never skip an event: when a poll returns seq s, every event with a smaller seq that will
// ever commit must already be visible. With many nodes on one database, seqs are assigned at
// INSERT but become visible at COMMIT, so without more a poller could read seq 10 (committed)
// while seq 9's transaction on another node is still open, and never see 9.
//
// The rule, an advisory lock in two modes (key kEventsLockKey, distinct from the migration lock):
// - Writers: every transaction that inserts events takes it SHARED as its first statement, before
//   any seq is drawn (lock_for_event_inserts). Writers never wait for each other, so nodes'
//   flushes stay parallel and one node pays one round trip per such transaction.
// - Pollers: a polling read takes it EXCLUSIVE in its own transaction (settle_event_inserts), which
//   waits until every open inserting transaction has ended (committed or rolled back; PostgreSQL
//   releases locks after the commit is visible) and keeps new ones from drawing seqs until the
//   read is done. The read's snapshot, taken after the grant, then holds every seq drawn so far,
//   and any seq drawn later is larger (the identity sequence is monotonic with its default
//   CACHE 1; a larger cache would hand each session its own range and break this).
// Taking the shared lock before anything else keeps deadlocks out: a transaction that waits for
// the lock holds no row lock. A poller waits at most kSettleTimeoutMs (a writer stuck with the
// lock, e.g. a vanished node's session idle in its transaction): it then reads nothing, its cursor
// stays and its next poll tries again. SQLite needs none of this: it runs one write transaction
// at a time, so its rowid order is its commit order.
inline constexpr long long kEventsLockKey = 444131462983;  // 0x67684C4F47, "ghLOG"
inline constexpr int kSettleTimeoutMs = 1000;
// Inside a transaction that will insert events, before the first insert.
Errc lock_for_event_inserts(Conn& c);
// Inside the polling read's own transaction, before its SELECTs. `settled` is false when the
// wait timed out (then Errc::ok: the read returns nothing this time and the transaction must be
// rolled back).
Errc settle_event_inserts(Conn& c, bool& settled);

Errc insert_event(Conn& c, const EventView& e);
// Every event of the batch, in order (several rows per statement).
Errc insert_events(Conn& c, const EventBatch& events);
// The rows of `org_id` that `q` selects, in q.order.
Errc select_events(Conn& c, const std::string& org_id, const EventQuery& q, std::vector<EventRow>& out);
// Deletes the events published before `cutoff` among the `max_rows` oldest (in seq order).
Errc delete_events_before(Conn& c, domain::Millis cutoff, std::size_t max_rows, std::size_t& deleted);

}  // namespace gh::store::pg
