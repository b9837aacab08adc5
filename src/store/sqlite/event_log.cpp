#include "store/sqlite/event_log.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "store/event_record.hpp"

namespace gh::store::sqlite {

namespace {
constexpr std::size_t kRowsPerInsert = 32;

// INSERT of n rows (1 <= n <= kRowsPerInsert): one statement (and one AUTOINCREMENT bookkeeping
// write) per 32 queued events, and one more for the rest of the batch, instead of one per event
// (a single-row statement for each of the rest cost more than the 32-row one: its own start,
// halt and sqlite_sequence update; issue 20). OR FAIL: a failing row leaves the rows before it in
// place instead of undoing the statement, so SQLite keeps no statement journal (with ABORT, the
// default, it copied every page the statement touched to a temporary file first: 3.6 KB written
// per event, five times the WAL's share). A failure still rolls back the whole transaction
// (append_events), so nothing is half-written. The texts live as long as the process: Db's
// statement cache keys on their addresses.
const char* multi_row_insert(std::size_t n) {
  static const std::array<std::string, kRowsPerInsert> sql = [] {
    std::array<std::string, kRowsPerInsert> out;
    std::string s = "INSERT OR FAIL INTO events (org_id, uuid, published, event_type, body) VALUES ";
    for (std::size_t i = 0; i < kRowsPerInsert; ++i) {
      s += i ? ",(?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
      out[i] = s;
    }
    return out;
  }();
  return sql[n - 1].c_str();
}

void bind_row(Stmt& s, int first, const EventView& e) {
  s.bind_static(first, e.org_id).bind_static(first + 1, e.uuid).bind(first + 2, e.published);
  s.bind_static(first + 3, e.event_type).bind_static(first + 4, e.record);
}
}  // namespace

int insert_event(Db& db, const EventView& e) {
  auto s = db.prepare(multi_row_insert(1));
  bind_row(s, 1, e);
  return s.step();
}

int insert_events(Db& db, const EventBatch& events) {
  for (std::size_t i = 0; i < events.size();) {
    const auto n = std::min(kRowsPerInsert, events.size() - i);
    auto s = db.prepare(multi_row_insert(n));
    for (std::size_t r = 0; r < n; ++r) bind_row(s, static_cast<int>(r * 5 + 1), events[i + r]);
    if (int rc = s.step(); rc != SQLITE_DONE) return rc;
    i += n;
  }
  return SQLITE_DONE;
}

bool select_events(Db& db, const std::string& org_id, const EventQuery& q, std::vector<EventRow>& out) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  // Every statement is bound to one org (STYLE.md §4.2) and walks one index in order:
  // events_org_seq for polling, events_org_published otherwise.
  const char* sql = nullptr;
  std::int64_t after_published = q.after_published, after_seq = q.after_seq;
  switch (q.order) {
    case EventOrder::persisted_asc:
      // Polling pages by seq, so seq order must be commit order: SQLite runs one write
      // transaction at a time and a rowid is drawn inside it, so it is (PostgreSQL needs a lock
      // for that: store/postgres/event_log.hpp).
      sql = "SELECT seq, published, uuid, event_type, body FROM events WHERE org_id = ?1 AND seq > ?2 AND "
            "published >= ?4 AND published < ?5 ORDER BY seq LIMIT ?6";
      if (!q.has_after) {
        // Start at the first event of the window rather than walking the org's older events:
        // a covering scan of events_org_published over the window only.
        auto first = db.prepare(
            "SELECT MIN(seq) FROM events WHERE org_id = ? AND published >= ? AND published < ?");
        first.bind(1, org_id).bind(2, q.since).bind(3, q.until);
        if (first.step() != SQLITE_ROW) return false;
        if (sqlite3_column_type(first.handle(), 0) == SQLITE_NULL) return true;  // nothing in range
        after_seq = first.i64(0) - 1;
      }
      break;
    case EventOrder::published_asc:
      sql = "SELECT seq, published, uuid, event_type, body FROM events WHERE org_id = ?1 AND (published, seq) > (?3, ?2) "
            "AND published >= ?4 AND published < ?5 ORDER BY published, seq LIMIT ?6";
      if (!q.has_after) after_published = kMin, after_seq = 0;
      break;
    case EventOrder::published_desc:
      sql = "SELECT seq, published, uuid, event_type, body FROM events WHERE org_id = ?1 AND (published, seq) < (?3, ?2) "
            "AND published >= ?4 AND published < ?5 ORDER BY published DESC, seq DESC LIMIT ?6";
      if (!q.has_after) after_published = kMax, after_seq = kMax;
      break;
  }
  auto s = db.prepare(sql);
  s.bind(1, org_id).bind(2, after_seq).bind(3, after_published).bind(4, q.since).bind(5, q.until);
  s.bind(6, static_cast<std::int64_t>(q.limit));
  int rc;
  while ((rc = s.step()) == SQLITE_ROW)
    out.push_back({s.i64(0), s.i64(1), render_stored_event(s.text(2), s.i64(1), s.text(3), s.text(4))});
  return rc == SQLITE_DONE;
}

// Walks the table in seq order (the rowid: no index on published is kept up for this), over the
// `max_rows` oldest seqs only, so a call reads a bounded range whatever the table holds. seq order
// is publication order up to the second a queued event waits before it is written; an event that
// is younger than the cutoff but older in seq (the clock stepped back) holds the window where it
// is until it ages out too.
std::int64_t delete_events_before(Db& db, domain::Millis cutoff, std::size_t max_rows) {
  auto s = db.prepare(
      "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE "
      "seq < (SELECT MIN(seq) FROM events) + ?2 AND published < ?1)");
  s.bind(1, cutoff).bind(2, static_cast<std::int64_t>(max_rows));
  if (s.step() != SQLITE_DONE) return -1;
  return sqlite3_changes(db.handle());
}

}  // namespace gh::store::sqlite
