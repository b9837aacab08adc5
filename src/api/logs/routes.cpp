// GET /api/v1/logs: the System Log (okta-compat.md §5 "System log event", §2 "Pagination" and
// its polling exception, §6; MGMT-OAS listLogEvents). Events are read from the store (the only
// resource not served from the in-memory model), so this route runs on the blocking pool.
#include <boost/json/parse.hpp>

#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"
#include "api/logs/query.hpp"

namespace gh::api {
namespace logs {
namespace {
// A filtered query examines at most kScanBudget events per request, or up to kMaxScan while it has
// found none (an empty page with a `next` link makes Okta's SDK yield null); past that the page
// may hold fewer than `limit` events and carries a `next` link that resumes the scan.
constexpr std::size_t kScanBudget = 10'000;
constexpr std::size_t kMaxScan = 100'000;
constexpr std::size_t kChunk = 500;

struct Scan {
  std::vector<store::EventRow> page;
  bool more = false;       // a further match exists after the page
  bool exhausted = false;  // every event of the range was examined
  std::optional<Cursor> last_returned, last_examined;
};

bool row_matches(const LogQuery& q, const store::EventRow& r) {
  if (!q.filter && q.keywords.empty()) return true;
  boost::system::error_code ec;
  auto v = boost::json::parse(r.json, ec);
  return !ec && v.is_object() && matches(q, v.as_object());
}

// Reads the range in chunks until the page is full and one more match is known, the range ends,
// or the scan budget is spent.
gh::Result<Scan> scan(Ctx& ctx, const LogQuery& q) {
  const bool filtering = q.filter || !q.keywords.empty();
  store::EventQuery sq;
  sq.since = q.since, sq.until = q.until, sq.order = q.order;
  if (q.after) sq.after_published = q.after->published, sq.after_seq = q.after->seq, sq.has_after = true;
  Scan s;
  std::size_t scanned = 0;
  while (true) {
    sq.limit = filtering ? kChunk : q.limit + 1 - s.page.size();
    auto rows = ctx.deps.store.query_events(ctx.org.id(), sq);
    if (!rows) return rows.error();
    for (auto& r : *rows) {
      ++scanned;
      Cursor pos{q.polling, r.published, r.seq};
      if (row_matches(q, r)) {
        if (s.page.size() == q.limit) {
          s.more = true;
          return s;
        }
        s.page.push_back(std::move(r));
        s.last_returned = pos;
      }
      s.last_examined = pos;
    }
    if (rows->size() < sq.limit) {
      s.exhausted = true;
      return s;
    }
    if (scanned >= (s.page.empty() ? kMaxScan : kScanBudget)) return s;
    sq.after_published = s.last_examined->published, sq.after_seq = s.last_examined->seq, sq.has_after = true;
  }
}

Result<http::Response> list(Ctx& ctx) {
  auto parsed = parse_log_query(ctx.query, ctx.now());
  if (!parsed) return parsed.error();
  auto& q = *parsed;
  auto s = scan(ctx, q);
  if (!s) return internal_error(s.error());  // the store's query failed
  // The next page starts after the last event returned (when more matches follow) or after the
  // last event examined. okta-compat.md §2: a polling query always has a `next` link, even when
  // empty; a bounded query only when another page exists.
  std::optional<Cursor> next;
  if (s->more) next = s->last_returned;
  else if (!s->exhausted || q.polling) next = s->last_examined ? s->last_examined : q.after;
  if (q.polling && !next) next = Cursor{true, 0, 0};  // nothing yet: poll from the start
  std::string body = "[";
  for (auto& r : s->page) {
    if (body.size() > 1) body += ',';
    body += r.json;
  }
  body += ']';
  auto res = ok_json(std::move(body));
  set_links(res, ctx.org.url(), "/api/v1/logs", ctx.query,
            next ? std::optional<std::string>(encode_cursor(*next)) : std::nullopt);
  return res;
}
}  // namespace
}  // namespace logs

void register_logs(ApiRouter& r) {
  r.add(http::Method::get, "/api/v1/logs", {domain::Permission{domain::Resource::logs, domain::Action::read}, logs::list});
}

}  // namespace gh::api
