#include "store/postgres/event_log.hpp"

#include <limits>

#include "store/event_record.hpp"

namespace gh::store::pg {

namespace {
constexpr std::size_t kRowsPerInsert = 32;

// One INSERT of kRowsPerInsert rows: a round trip per 32 queued events rather than per event.
const std::string& multi_row_insert() {
  static const std::string sql = [] {
    std::string s = "INSERT INTO events (org_id, uuid, published, event_type, body) VALUES ";
    for (std::size_t i = 0; i < kRowsPerInsert; ++i) {
      auto n = i * 5;
      s += i ? "," : "";
      s += "($" + std::to_string(n + 1) + ", $" + std::to_string(n + 2) + ", $" + std::to_string(n + 3) +
           ", $" + std::to_string(n + 4) + ", $" + std::to_string(n + 5) + ")";
    }
    return s;
  }();
  return sql;
}

void bind_row(Params& p, const EventView& e) {
  p.text(e.org_id).text(e.uuid).i64(e.published).text(e.event_type).text(e.record);
}

void read_rows(const ResultPtr& r, std::vector<EventRow>& out) {
  for (int i = 0, n = pq().PQntuples(r.get()); i < n; ++i) {
    Row row(r.get(), i);
    out.push_back({row.i64(0), row.i64(1), render_stored_event(row.text(2), row.i64(1), row.text(3), row.text(4))});
  }
}
}  // namespace

Errc lock_for_event_inserts(Conn& c) {
  return c.run("SELECT pg_advisory_xact_lock_shared($1)", Params().i64(kEventsLockKey));
}

Errc settle_event_inserts(Conn& c, bool& settled) {
  settled = false;
  // SET LOCAL: the bound ends with this transaction, other statements of the connection keep the
  // server's lock_timeout.
  static const std::string timeout = "SET LOCAL lock_timeout = " + std::to_string(kSettleTimeoutMs);
  if (Errc e = c.exec(timeout.c_str()); e != Errc::ok) return e;
  Errc e = c.run("SELECT pg_advisory_xact_lock($1)", Params().i64(kEventsLockKey));
  if (e != Errc::ok && c.sqlstate() == "55P03") return Errc::ok;  // lock_not_available: timed out
  settled = e == Errc::ok;
  return e;
}

Errc insert_event(Conn& c, const EventView& e) {
  Params p;
  bind_row(p, e);
  return c.run("INSERT INTO events (org_id, uuid, published, event_type, body) VALUES ($1, $2, $3, $4, $5)", p);
}

Errc insert_events(Conn& c, const EventBatch& events) {
  std::size_t i = 0;
  for (; i + kRowsPerInsert <= events.size(); i += kRowsPerInsert) {
    Params p;
    for (std::size_t r = 0; r < kRowsPerInsert; ++r) bind_row(p, events[i + r]);
    if (Errc e = c.run(multi_row_insert().c_str(), p); e != Errc::ok) return e;
  }
  for (; i < events.size(); ++i)
    if (Errc e = insert_event(c, events[i]); e != Errc::ok) return e;
  return Errc::ok;
}

Errc select_events(Conn& c, const std::string& org_id, const EventQuery& q, std::vector<EventRow>& out) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  const auto limit = static_cast<std::int64_t>(q.limit);
  // Every statement is bound to one org (STYLE.md §4.2) and walks one index in order:
  // events_org_seq for polling, events_org_published otherwise.
  ResultPtr r;
  Errc e = Errc::ok;
  switch (q.order) {
    case EventOrder::persisted_asc: {
      std::int64_t after_seq = q.after_seq;
      if (!q.has_after) {
        // From the first event of the window rather than the org's older events.
        ResultPtr first;
        e = c.run("SELECT MIN(seq) FROM events WHERE org_id = $1 AND published >= $2 AND published < $3",
                  Params().text(org_id).i64(q.since).i64(q.until), &first);
        if (e != Errc::ok) return e;
        if (pq().PQntuples(first.get()) != 1 || pq().PQgetisnull(first.get(), 0, 0)) return Errc::ok;  // none
        after_seq = Row(first.get(), 0).i64(0) - 1;
      }
      e = c.run("SELECT seq, published, uuid, event_type, body FROM events WHERE org_id = $1 AND seq > $2 AND "
                "published >= $3 AND published < $4 ORDER BY seq LIMIT $5",
                Params().text(org_id).i64(after_seq).i64(q.since).i64(q.until).i64(limit), &r);
      break;
    }
    case EventOrder::published_asc: {
      auto ap = q.has_after ? q.after_published : kMin;
      auto as = q.has_after ? q.after_seq : 0;
      e = c.run("SELECT seq, published, uuid, event_type, body FROM events WHERE org_id = $1 AND "
                "(published, seq) > ($2, $3) AND published >= $4 AND published < $5 "
                "ORDER BY published, seq LIMIT $6",
                Params().text(org_id).i64(ap).i64(as).i64(q.since).i64(q.until).i64(limit), &r);
      break;
    }
    case EventOrder::published_desc: {
      auto ap = q.has_after ? q.after_published : kMax;
      auto as = q.has_after ? q.after_seq : kMax;
      e = c.run("SELECT seq, published, uuid, event_type, body FROM events WHERE org_id = $1 AND "
                "(published, seq) < ($2, $3) AND published >= $4 AND published < $5 "
                "ORDER BY published DESC, seq DESC LIMIT $6",
                Params().text(org_id).i64(ap).i64(as).i64(q.since).i64(q.until).i64(limit), &r);
      break;
    }
  }
  if (e == Errc::ok) read_rows(r, out);
  return e;
}

// As SQLite's: walks the `max_rows` oldest seqs only (the primary key), so a call reads a
// bounded range whatever the table holds.
Errc delete_events_before(Conn& c, domain::Millis cutoff, std::size_t max_rows, std::size_t& deleted) {
  ResultPtr r;
  Errc e = c.run("DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE "
                 "seq < (SELECT MIN(seq) FROM events) + $2 AND published < $1)",
                 Params().i64(cutoff).i64(static_cast<std::int64_t>(max_rows)), &r);
  deleted = e == Errc::ok ? static_cast<std::size_t>(Conn::changed(r)) : 0;
  return e;
}

}  // namespace gh::store::pg
