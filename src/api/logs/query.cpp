#include "api/logs/query.hpp"

#include <boost/json/value.hpp>

#include <charconv>
#include <limits>

#include "core/time_format.hpp"

namespace gh::api::logs {
namespace {
namespace json = boost::json;

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

ApiError bad(std::string param, std::string cause) {
  return validation_failed(std::move(param), {std::move(cause)});
}

// okta-compat.md §11.9: unparseable since/until → 400 E0000001.
Result<std::optional<domain::Millis>> parse_time(const http::Params& q, std::string_view name) {
  auto v = q.get(name);
  if (!v) return std::optional<domain::Millis>{};
  auto t = core::parse_iso8601(*v);
  if (!t)
    return bad(std::string(name), std::string(name) + ": The value must be an ISO 8601 timestamp, e.g. 2030-01-01T00:00:00.000Z");
  return std::optional<domain::Millis>{core::epoch_ms(*t)};
}

void collect_strings(const json::value& v, std::vector<std::string>& out) {
  if (v.is_string()) out.push_back(lowered(v.get_string()));
  else if (v.is_array())
    for (auto& e : v.get_array()) collect_strings(e, out);
  else if (v.is_object())
    for (auto& [k, e] : v.get_object()) collect_strings(e, out);
}

std::optional<json::value> walk(const json::value& v, std::string_view path) {
  if (path.empty()) return v;
  if (v.is_array()) {  // LogEvent.target: the values of every element
    json::array out;
    for (auto& el : v.get_array()) {
      auto r = walk(el, path);
      if (!r) continue;
      if (r->is_array())
        for (auto& x : r->get_array()) out.push_back(x);
      else
        out.push_back(std::move(*r));
    }
    if (out.empty()) return std::nullopt;
    return json::value(std::move(out));
  }
  if (!v.is_object()) return std::nullopt;
  auto dot = path.find('.');
  auto* child = v.get_object().if_contains(path.substr(0, dot));
  if (!child) return std::nullopt;
  return walk(*child, dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1));
}
}  // namespace

std::string encode_cursor(const Cursor& c) {
  if (c.persisted) return "p" + std::to_string(c.seq);
  return "t" + std::to_string(c.published) + "_" + std::to_string(c.seq);
}

std::optional<Cursor> decode_cursor(std::string_view s) {
  if (s.size() < 2 || s.size() > 64) return std::nullopt;
  Cursor c;
  if (s[0] == 'p') {
    auto seq = parse_int(s.substr(1));
    if (!seq) return std::nullopt;
    c.persisted = true;
    c.seq = *seq;
    return c;
  }
  if (s[0] != 't') return std::nullopt;
  auto us = s.find('_');
  if (us == std::string_view::npos) return std::nullopt;
  auto published = parse_int(s.substr(1, us - 1));
  auto seq = parse_int(s.substr(us + 1));
  if (!published || !seq) return std::nullopt;
  c.published = *published;
  c.seq = *seq;
  return c;
}

Result<LogQuery> parse_log_query(const http::Params& q, domain::Millis now) {
  for (auto name : {"since", "until", "after", "filter", "q", "limit", "sortOrder"})
    if (q.count(name) > 1) return bad(name, std::string(name) + ": The parameter may be given only once");
  LogQuery out;
  auto since_r = parse_time(q, "since");
  auto until_r = parse_time(q, "until");
  if (!until_r) return until_r.error();  // both wrong: the error names `until`
  if (!since_r) return since_r.error();
  auto since = *since_r;
  auto until = *until_r;

  auto order = q.get("sortOrder").value_or("ASCENDING");
  if (lowered(order) == "ascending") out.order = store::EventOrder::published_asc;
  else if (lowered(order) == "descending") out.order = store::EventOrder::published_desc;
  else return bad("sortOrder", "sortOrder: The value must be ASCENDING or DESCENDING");
  out.polling = out.order == store::EventOrder::published_asc && !until;
  if (out.polling) out.order = store::EventOrder::persisted_asc;
  // MGMT-OAS: until defaults to now, since to 7 days before until; §11.18: until may lie in the
  // future. A polling query has no upper bound.
  out.until = until.value_or(out.polling ? std::numeric_limits<domain::Millis>::max() : now);
  out.since = since.value_or((until ? *until : now) - kDefaultWindowMs);
  if (until && out.since > out.until) return bad("since", "since: The value must not be later than until");

  if (auto l = q.get("limit")) {
    auto v = parse_int(*l);
    if (!v || *v > static_cast<std::int64_t>(kMaxLimit))
      return bad("limit", "limit: The value must be an integer between 0 and 1000");
    out.limit = *v == 0 ? kDefaultLimit : static_cast<std::size_t>(*v);
  }
  if (auto a = q.get("after")) {
    auto c = decode_cursor(*a);
    if (!c || c->persisted != out.polling)  // a cursor of another kind of query
      return bad("after", "after: The value is not a cursor of this query; follow the next link");
    out.after = *c;
  }
  if (auto f = q.get("filter")) {
    FilterOptions opts;
    opts.allow_ew = true;  // okta-compat.md §2: `ew` is for logs
    auto parsed = Filter::parse(*f, opts);
    if (auto* e = std::get_if<FilterError>(&parsed)) return invalid_search(e->code);  // 400 E0000031
    out.filter = std::move(std::get<Filter>(parsed));
  }
  if (auto words = q.get("q")) {
    std::string_view rest = *words;
    while (!rest.empty()) {
      auto sp = rest.find(' ');
      auto word = rest.substr(0, sp);
      rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
      if (word.empty()) continue;
      if (word.size() > kMaxKeywordLength)
        return bad("q", "q: A keyword may have at most 40 characters");
      out.keywords.push_back(lowered(word));
    }
    if (out.keywords.size() > kMaxKeywords) return bad("q", "q: At most 10 keywords are allowed");
  }
  return out;
}

std::optional<json::value> log_attribute(const json::object& event, std::string_view path) {
  auto dot = path.find('.');
  auto* child = event.if_contains(path.substr(0, dot));
  if (path.empty() || !child) return std::nullopt;
  return walk(*child, dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1));
}

bool matches(const LogQuery& q, const json::object& event) {
  if (q.filter && !q.filter->matches([&](std::string_view a) { return log_attribute(event, a); })) return false;
  if (q.keywords.empty()) return true;
  std::vector<std::string> values;
  for (auto& [k, v] : event) collect_strings(v, values);
  for (auto& k : q.keywords) {
    bool found = false;
    for (auto& v : values)
      if (v.find(k) != std::string::npos) {
        found = true;
        break;
      }
    if (!found) return false;
  }
  return true;
}

}  // namespace gh::api::logs
