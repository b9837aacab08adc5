#pragma once
// The parameters of GET /api/v1/logs (okta-compat.md §5 "System log event", §2 "Pagination" and
// its polling exception, §11.9, §11.18; MGMT-OAS listLogEvents) and how one stored event is
// matched against them.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/common/api_error.hpp"
#include "api/common/filter.hpp"
#include "domain/types.hpp"
#include "http/url.hpp"
#include "store/store.hpp"

namespace gh::api::logs {

inline constexpr std::size_t kDefaultLimit = 100;   // MGMT-OAS listLogEvents limit
inline constexpr std::size_t kMaxLimit = 1000;
inline constexpr std::int64_t kDefaultWindowMs = 7LL * 24 * 3600 * 1000;  // since = until − 7 d
inline constexpr std::size_t kMaxKeywords = 10;      // MGMT-OAS q
inline constexpr std::size_t kMaxKeywordLength = 40;

// A position in a query's order: after this event. Rendered as the opaque `after` value.
struct Cursor {
  bool persisted = false;   // polling queries page by persistence order (seq)
  domain::Millis published = 0;
  std::int64_t seq = 0;
};
std::string encode_cursor(const Cursor& c);
std::optional<Cursor> decode_cursor(std::string_view s);

struct LogQuery {
  store::EventOrder order = store::EventOrder::published_asc;
  // okta-compat.md §2: sortOrder=ASCENDING without `until` is a polling query; its page always
  // has a `next` link, and it pages by persistence order so that events written in a later batch
  // with an earlier `published` are not skipped.
  bool polling = false;
  domain::Millis since = 0, until = 0;  // published in [since, until)
  std::optional<Cursor> after;
  std::optional<Filter> filter;
  std::vector<std::string> keywords;  // lower-case; every one must occur in the event
  std::size_t limit = kDefaultLimit;
};

// Parses and validates the query string at `now`. Errors (never an unfiltered result, §11.9):
// unparseable since/until, since after until, a bad limit, sortOrder or after, too many or too
// long keywords → 400 E0000001; an unparseable filter → 400 E0000031.
Result<LogQuery> parse_log_query(const http::Params& q, domain::Millis now);

// Whether the rendered event `json` satisfies the filter and the keywords. Attributes are dotted
// paths of the LogEvent JSON (eventType, outcome.result, actor.id, target.id, client.ipAddress,
// debugContext.debugData.grantType, ...); a path through an array (target) yields the values of
// its elements, any of which may match.
bool matches(const LogQuery& q, const boost::json::object& event);

// The value at `path` in `event`, through arrays as described above; nullopt when absent.
std::optional<boost::json::value> log_attribute(const boost::json::object& event, std::string_view path);

}  // namespace gh::api::logs
