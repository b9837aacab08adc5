#include "api/common/filter.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace gh::api {
namespace {

namespace json = boost::json;

// Walks a dotted path through `node`. An array met before the path ends maps the rest of the path
// over its elements, so `target.id` over `target: [{id}, {id}]` yields an array of ids.
std::optional<json::value> lookup_path(const json::value& node, std::string_view path) {
  if (path.empty()) return node;
  if (node.is_array()) {
    json::array out;
    for (const auto& item : node.get_array()) {
      if (auto v = lookup_path(item, path)) out.push_back(std::move(*v));
    }
    if (out.empty()) return std::nullopt;
    return json::value(std::move(out));
  }
  if (!node.is_object()) return std::nullopt;
  const auto dot = path.find('.');
  const json::value* child = node.get_object().if_contains(path.substr(0, dot));
  if (child == nullptr) return std::nullopt;
  return lookup_path(*child, dot == std::string_view::npos ? "" : path.substr(dot + 1));
}

AttributeLookup lookup_in(const json::value& record) {
  return [&record](std::string_view attr) { return lookup_path(record, attr); };
}

std::string error_of(const std::variant<Filter, FilterError>& r) {
  const auto* e = std::get_if<FilterError>(&r);
  return e == nullptr ? std::string("<parsed>") : e->message;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string nested_parens(std::size_t depth) {
  return repeat("(", depth) + "a pr" + repeat(")", depth);
}

std::string many_terms(std::size_t n) {
  std::string out = "a eq 0";
  for (std::size_t i = 1; i < n; ++i) out += " or a eq " + std::to_string(i);
  return out;
}

struct Case {
  std::string_view name;
  std::string expr;
  bool want_ok;
  FilterOptions opts = {};
};

void run_parse_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto result = Filter::parse(c.expr, c.opts);
    EXPECT_EQ(std::holds_alternative<Filter>(result), c.want_ok) << error_of(result);
    if (const auto* e = std::get_if<FilterError>(&result)) {
      EXPECT_EQ(e->message.rfind("Invalid search criteria", 0), 0u) << e->message;
      EXPECT_LE(e->message.size(), 100u) << "error text must not echo the expression";
    }
  }
}

TEST(FilterParse, AcceptsOktaStyleExpressions) {
  FilterOptions logs;
  logs.allow_ew = true;
  run_parse_cases({
      {"simple eq", R"(status eq "ACTIVE")", true},
      {"operator upper case", R"(status EQ "ACTIVE")", true},
      {"operator mixed case", R"(status Eq "ACTIVE")", true},
      {"dotted attribute", R"(profile.lastName sw "Sm")", true},
      {"attribute with $ and _", R"(_links.$ref pr)", true},
      {"attribute digits after first", R"(profile.field2.x9 pr)", true},
      {"timestamp gt", R"(lastUpdated gt "2024-01-01T00:00:00.000Z")", true},
      {"integer", "profile.age ge 30", true},
      {"negative exponent number", "profile.score lt -1.5e3", true},
      {"true", "profile.admin eq true", true},
      {"false", "profile.admin ne false", true},
      {"null", "profile.nickname eq null", true},
      {"pr", "profile.email pr", true},
      {"pr upper", "profile.email PR", true},
      {"and/or chain", "a pr and b pr or c pr", true},
      {"keywords upper case", "a pr AND b pr OR NOT c pr", true},
      {"not with parens", R"(not (status eq "A"))", true},
      {"not without parens", R"(NOT status eq "A")", true},
      {"double not", "not not a pr", true},
      {"redundant parens", "((a pr))", true},
      {"all JSON escapes", R"(a eq "\" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00")", true},
      {"SQL as data", R"(a eq "'; DROP TABLE users; --")", true},
      {"percent as data", R"(a co "100%")", true},
      {"empty string", R"(a eq "")", true},
      {"tabs and newlines", "a pr\tand\nb pr\r\n", true},
      {"no space before keyword", R"(a eq "x"and b pr)", true},
      {"no space around parens", R"((a eq "x")or(b pr))", true},
      {"UTF-8 literal", "a eq \"Zo\xc3\xab\"", true},
      {"ew for logs", R"(target.id ew "123")", true, logs},
      {"depth at limit", nested_parens(32), true},
      {"terms at limit", many_terms(100), true},
      {"length at limit", "a pr" + std::string(4092, ' '), true},
  });
}

TEST(FilterParse, RejectsMalformedAndHostileExpressions) {
  FilterOptions long_input;
  long_input.max_length = 2'000'000;
  long_input.max_depth = 100'000;  // the parser caps this at 256 to protect its stack
  FilterOptions tight;
  tight.max_terms = 2;
  tight.max_depth = 1;
  run_parse_cases({
      {"empty", "", false},
      {"blank", " \t\n ", false},
      {"unbalanced open", R"((status eq "A")", false},
      {"unbalanced close", R"(status eq "A"))", false},
      {"parens reversed", R"()status eq "A"()", false},
      {"empty parens", "()", false},
      {"unterminated string", R"(status eq "unterminated)", false},
      {"unterminated after escape", R"(status eq "abc\")", false},
      {"missing value", "status eq", false},
      {"missing operator", "status", false},
      {"missing attribute", R"(eq "x")", false},
      {"unknown operator", R"(status xx "a")", false},
      {"symbolic operator", R"(status == "a")", false},
      {"SQL injection", "'; DROP TABLE users; --", false},
      {"SQL after valid term", R"(status eq "A"; DROP TABLE users; --)", false},
      {"comment after valid term", R"(status eq "A" --)", false},
      {"single quoted value", "status eq 'ACTIVE'", false},
      {"bare word value", "status eq ACTIVE", false},
      {"TRUE is not JSON", "a eq TRUE", false},
      {"dangling and", R"(status eq "A" and)", false},
      {"leading and", R"(and status eq "A")", false},
      {"or or", "a pr or or b pr", false},
      {"dangling not", "not", false},
      {"not then end", "a pr and not", false},
      {"leftover term", R"(status eq "A" status eq "B")", false},
      {"leftover value", R"(status eq "A" "B")", false},
      {"pr with value", R"(a pr "x")", false},
      {"ew not allowed outside logs", R"(a ew "x")", false},
      {"sw needs string", "a sw 5", false},
      {"co needs string", "a co true", false},
      {"gt needs ordered value", "a gt true", false},
      {"lt null", "a lt null", false},
      {"double dot attribute", "a..b pr", false},
      {"leading dot attribute", ".a pr", false},
      {"trailing dot attribute", "a. pr", false},
      {"dash in attribute", "a-b pr", false},
      {"attribute starts with digit", "1abc pr", false},
      {"leading zero number", "a eq 01", false},
      {"bare minus", "a eq -", false},
      {"trailing dot number", "a eq 1.", false},
      {"plus sign number", "a eq +1", false},
      {"infinite number", "a eq 1e400", false},
      {"bad escape", R"(a eq "\x41")", false},
      {"short unicode escape", R"(a eq "\u12")", false},
      {"lone surrogate", R"(a eq "\ud800")", false},
      {"raw control character", "a eq \"x\x01y\"", false},
      {"invalid UTF-8", "a eq \"\xff\"", false},
      {"NUL byte", std::string("a pr\0", 5), false},
      {"percent outside string", "a eq %", false},
      {"brackets", "a[0] pr", false},
      {"10k characters", "a eq \"" + std::string(10'000, 'x') + "\"", false},
      {"depth 1000 of parens", nested_parens(1000), false},
      {"depth 1000 of not", repeat("not ", 1000) + "a pr", false},
      {"depth over limit", nested_parens(33), false},
      {"101 terms", many_terms(101), false},
      {"200k open parens", std::string(200'000, '('), false, long_input},
      {"over tight term limit", "a pr and b pr and c pr", false, tight},
      {"over tight depth limit", "not not a pr", false, tight},
  });
}

TEST(FilterParse, ErrorTextNamesOnlyTheOffendingToken) {
  struct MessageCase {
    std::string_view name;
    std::string expr;
    std::string_view want;
  };
  const std::vector<MessageCase> cases = {
      {"unknown operator", R"(status xx "a")", "Invalid search criteria: unknown operator 'xx'."},
      {"SQL", "'; DROP TABLE users; --", "Invalid search criteria: unexpected character '''."},
      {"missing value", "status eq", "Invalid search criteria: missing value."},
      {"unterminated", R"(a eq "abc)", "Invalid search criteria: unterminated string."},
      {"too long", std::string(5000, 'a'), "Invalid search criteria: expression is too long."},
      {"long token truncated", "a eq 1 " + std::string(3000, 'b'),
       "Invalid search criteria: unexpected 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb...'."},
      {"non-printable masked", "a \x01", "Invalid search criteria: unexpected character '?'."},
      {"depth", nested_parens(1000), "Invalid search criteria: expression is nested too deeply."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(error_of(Filter::parse(c.expr)), c.want);
  }
}

// Deterministic garbage built from grammar fragments and raw bytes: parse must return a value and
// never crash or throw; whatever parses must evaluate.
TEST(FilterParse, SurvivesGeneratedGarbage) {
  const std::vector<std::string_view> fragments = {
      "(",  ")",  " ", "not ", " and ", " or ", "a", "b.c", " eq ", " pr",  " gt ", " sw ", "\"x\"",
      "\"", "\\", "1", "-",    "true",  "null", "'", ";",   "--",   "\x80", "\xff", "\"\\u"};
  std::uint64_t state = 0x9e3779b97f4a7c15u;
  auto next = [&state] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<std::size_t>(state >> 33);
  };
  const json::value record = json::parse(R"({"a":"x","b":{"c":[1,"x",null]}})");
  std::size_t parsed = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string expr;
    for (std::size_t n = next() % 24; n > 0; --n) expr += fragments[next() % fragments.size()];
    auto result = Filter::parse(expr);
    if (const auto* f = std::get_if<Filter>(&result)) {
      ++parsed;
      (void)f->matches(lookup_in(record));
    }
  }
  EXPECT_GT(parsed, 0u);
}

constexpr std::string_view kUsers = R"([
    {"id": "alice", "status": "ACTIVE", "lastUpdated": "2024-01-15T10:00:00.000Z",
     "profile": {"firstName": "Alice", "lastName": "O'Brien", "email": "alice@example.com",
                 "age": 30, "admin": true, "nickname": null},
     "tags": ["red", "blue"]},
    {"id": "bob", "status": "SUSPENDED", "lastUpdated": "2024-03-01T00:00:00Z",
     "profile": {"firstName": "Bob", "lastName": "Smith", "email": "bob@Example.org",
                 "age": 45, "admin": false},
     "tags": []},
    {"id": "carol", "status": "ACTIVE", "lastUpdated": "2023-12-31T23:59:59.999Z",
     "profile": {"firstName": "carol", "lastName": "smith; DROP --", "email": "carol@corp.test",
                 "age": 7.5, "nickname": "say \"hi\""},
     "tags": ["green"]}
])";

const json::array& users() {
  static const json::array records = json::parse(kUsers).as_array();
  return records;
}

// Space-separated ids of the records `f` matches, in input order.
std::string matching_ids(const Filter& f, const json::array& records) {
  std::string out;
  for (const auto& r : records) {
    if (!f.matches(lookup_in(r))) continue;
    if (!out.empty()) out += ' ';
    out += r.at("id").as_string().c_str();
  }
  return out;
}

struct EvalCase {
  std::string_view name;
  std::string_view expr;
  std::string_view want;  // matching ids
  FilterOptions opts = {};
};

void run_eval_cases(const std::vector<EvalCase>& cases, const json::array& records) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto result = Filter::parse(c.expr, c.opts);
    const auto* f = std::get_if<Filter>(&result);
    ASSERT_NE(f, nullptr) << error_of(result);
    EXPECT_EQ(matching_ids(*f, records), c.want);
  }
}

TEST(FilterEval, MatchesUsersByOperatorSemantics) {
  FilterOptions logs;
  logs.allow_ew = true;
  run_eval_cases(
      {
          {"eq folds case", R"(status eq "active")", "alice carol"},
          {"ne", R"(status ne "ACTIVE")", "bob"},
          {"sw folds case", R"(profile.lastName sw "SM")", "bob carol"},
          {"co folds case", R"(profile.email co "EXAMPLE")", "alice bob"},
          {"ew", R"(profile.email ew ".COM")", "alice", logs},
          {"gt on strings folds case", R"(profile.firstName gt "BOB")", "carol"},
          {"pr skips null and missing", "profile.nickname pr", "carol"},
          {"eq null needs an explicit null", "profile.nickname eq null", "alice"},
          {"ne null", "profile.nickname ne null", "bob carol"},
          {"number gt", "profile.age gt 29", "alice bob"},
          {"number le fractional", "profile.age le 7.5", "carol"},
          {"integer equals double", "profile.age eq 30.0", "alice"},
          {"range with and", "profile.age ge 30 and profile.age lt 45", "alice"},
          {"number never equals string", R"(profile.age eq "30")", ""},
          {"time gt", R"(lastUpdated gt "2024-01-01T00:00:00Z")", "alice bob"},
          {"time lt across formats", R"(lastUpdated lt "2024-01-01T00:00:00.000Z")", "carol"},
          {"time eq ignores .000", R"(lastUpdated eq "2024-03-01T00:00:00.000Z")", "bob"},
          {"time ge", R"(lastUpdated ge "2024-03-01T00:00:00Z")", "bob"},
          {"bool eq", "profile.admin eq true", "alice"},
          {"bool ne matches missing", "profile.admin ne true", "bob carol"},
          {"array any element", R"(tags eq "BLUE")", "alice"},
          {"array ne means no element equals", R"(tags ne "red")", "bob carol"},
          {"empty array is not present", "tags pr", "alice carol"},
          {"missing attribute eq", R"(profile.zip eq "x")", ""},
          {"missing attribute gt", R"(profile.zip gt "")", ""},
          {"missing attribute ne", R"(profile.zip ne "x")", "alice bob carol"},
          {"not over missing", R"(not (profile.zip eq "x"))", "alice bob carol"},
          {"not with parens", R"(not (status eq "ACTIVE"))", "bob"},
          {"not without parens", R"(not status eq "ACTIVE")", "bob"},
          {"not binds to one term", R"(not status eq "ACTIVE" and profile.age gt 40)", "bob"},
          {"and binds tighter than or",
           R"(profile.age gt 40 or status eq "ACTIVE" and profile.firstName eq "alice")",
           "alice bob"},
          {"parens override precedence",
           R"((profile.age gt 40 or status eq "ACTIVE") and profile.firstName eq "alice")",
           "alice"},
          {"keywords any case", R"(id EQ "alice" AND status Eq "active" Or id eq "bob")",
           "alice bob"},
          {"attribute names are case-sensitive", R"(Status eq "ACTIVE")", ""},
          {"single quote is data", R"(profile.lastName sw "o'")", "alice"},
          {"SQL is data", R"(profile.lastName eq "SMITH; drop --")", "carol"},
          {"comment marker is data", R"(profile.lastName co "--")", "carol"},
          {"percent is not a wildcard", R"(profile.lastName co "%")", ""},
          {"escaped quotes", R"(profile.nickname eq "say \"HI\"")", "carol"},
          {"unicode escape", R"(profile.firstName eq "\u0041LICE")", "alice"},
      },
      users());
}

constexpr std::string_view kEvents = R"([
    {"id": "e1", "outcome": {"result": "SUCCESS"}, "published": "2024-05-01T12:00:00.000Z",
     "target": [{"id": "0oa1", "type": "AppInstance"}, {"id": "00u9", "type": "User"}]},
    {"id": "e2", "outcome": {"result": "FAILURE"}, "published": "2024-05-02T12:00:00.000Z",
     "target": [{"id": "0oa2", "type": "AppInstance"}]},
    {"id": "e3", "outcome": {"result": "SUCCESS"}, "published": "2024-05-03T12:00:00.000Z"}
])";

TEST(FilterEval, MatchesAnyTargetOfALogEvent) {
  const json::array events = json::parse(kEvents).as_array();
  FilterOptions logs;
  logs.allow_ew = true;
  run_eval_cases(
      {
          {"any target id", R"(target.id eq "00u9")", "e1"},
          {"target type and outcome",
           R"(target.type eq "AppInstance" and outcome.result eq "SUCCESS")", "e1"},
          {"target ne is no target equal", R"(target.id ne "0oa1")", "e2 e3"},
          {"target sw", R"(target.id sw "0oa")", "e1 e2", logs},
          {"target ew", R"(target.id ew "2")", "e2", logs},
          {"target pr", "target pr", "e1 e2"},
          {"published window",
           R"(published ge "2024-05-02T00:00:00Z" and published lt "2024-05-03T12:00:00Z")", "e2"},
      },
      events);
}

TEST(FilterEval, CopiesShareTheParsedExpressionAcrossThreads) {
  auto result = Filter::parse(R"(status eq "ACTIVE" and profile.age lt 40)");
  ASSERT_TRUE(std::holds_alternative<Filter>(result)) << error_of(result);
  std::vector<Filter> copies(4, std::get<Filter>(result));
  result = FilterError{};  // the copies outlive the original
  std::vector<std::string> seen(copies.size());
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < copies.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) seen[t] = matching_ids(copies[t], users());
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& s : seen) EXPECT_EQ(s, "alice carol");
}

TEST(FilterEval, EmptyLookupMatchesNothing) {
  auto result = Filter::parse(R"(a ne "x")");
  ASSERT_TRUE(std::holds_alternative<Filter>(result));
  EXPECT_FALSE(std::get<Filter>(result).matches(AttributeLookup{}));
}

}  // namespace
}  // namespace gh::api
