#include "api/common/filter.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace gh::api {
namespace detail {

enum class Op { eq, ne, gt, ge, lt, le, sw, co, ew, pr };

struct Comparison {
  std::string attr;
  Op op = Op::pr;
  boost::json::value literal;
  std::string folded;                  // ASCII-lowercased literal, when it is a string
  std::optional<std::int64_t> millis;  // literal as a timestamp, when it is one
};

struct FilterNode {
  enum class Kind { compare, all_of, any_of, negate };
  Kind kind = Kind::compare;
  Comparison cmp;                    // kind == compare
  std::vector<FilterNode> children;  // all_of / any_of: two or more; negate: exactly one
};

}  // namespace detail

namespace {

namespace json = boost::json;
using detail::Comparison;
using detail::FilterNode;
using detail::Op;
using Kind = FilterNode::Kind;

constexpr std::size_t kMaxQuoted = 32;
// Hard ceiling on FilterOptions::max_depth, so that no configuration lets input exhaust the stack.
constexpr std::size_t kMaxNesting = 256;

FilterError invalid(FilterErrc code, std::string_view reason) {
  return FilterError{"Invalid search criteria: " + std::string(reason) + ".", code};
}

// The offending token for error text: at most kMaxQuoted characters, non-printables as '?'.
std::string quoted(std::string_view token) {
  std::string out = "'";
  for (std::size_t i = 0; i < token.size() && i < kMaxQuoted; ++i) {
    auto ch = static_cast<unsigned char>(token[i]);
    out += (ch >= 0x20 && ch < 0x7f) ? static_cast<char>(ch) : '?';
  }
  if (token.size() > kMaxQuoted) out += "...";
  return out + "'";
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string folded(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = fold(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return fold(x) == fold(y); });
}

template <class T>
int sign(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// YYYY-MM-DDTHH:mm:ss[.f{1,3}]Z as Okta writes it (okta-compat.md §1.14) → ms since the epoch.
std::optional<std::int64_t> parse_timestamp(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (s.size() < 20 || !read_digits(s, 0, 4, y) || s[4] != '-' || !read_digits(s, 5, 2, mo) ||
      s[7] != '-' || !read_digits(s, 8, 2, d) || s[10] != 'T' || !read_digits(s, 11, 2, h) ||
      s[13] != ':' || !read_digits(s, 14, 2, mi) || s[16] != ':' || !read_digits(s, 17, 2, sec) ||
      s.back() != 'Z')
    return std::nullopt;
  std::string_view frac = s.substr(19, s.size() - 20);
  if (!frac.empty()) {
    if (frac.size() < 2 || frac.size() > 4 || frac[0] != '.' ||
        !read_digits(frac, 1, frac.size() - 1, ms))
      return std::nullopt;
    for (std::size_t n = frac.size() - 1; n < 3; ++n) ms *= 10;
  }
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  std::int64_t days = sys_days{ymd}.time_since_epoch().count();
  return ((days * 24 + h) * 60 + mi) * 60'000 + std::int64_t{sec} * 1000 + ms;
}

// Lexer tokens: parens, bare words (attributes, operators, keywords, true/false/null), literals.

enum class Tok { lparen, rparen, word, literal, end };

struct Token {
  Tok kind = Tok::end;
  std::string_view text;
  json::value literal;  // kind == literal: a JSON string or a finite number
};

using Lexed = std::variant<Token, FilterError>;

bool is_bare(char c) {
  return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == '$' || c == '+' || c == '-';
}

std::optional<json::value> parse_json_scalar(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || v.is_object() || v.is_array()) return std::nullopt;
  if (v.is_double() && !std::isfinite(v.get_double())) return std::nullopt;  // 1e400
  return v;
}

// JSON string literal starting at s[i] == '"'; validation and unescaping are Boost.JSON's.
Lexed lex_string(std::string_view s, std::size_t& i) {
  std::size_t end = i + 1;
  while (end < s.size() && s[end] != '"') end += (s[end] == '\\') ? 2 : 1;
  if (end >= s.size()) return invalid(FilterErrc::unterminated_string, "unterminated string");
  std::string_view text = s.substr(i, end + 1 - i);
  i = end + 1;
  auto v = parse_json_scalar(text);
  if (!v || !v->is_string()) return invalid(FilterErrc::malformed_string, "malformed string");
  return Token{Tok::literal, text, std::move(*v)};
}

Lexed lex_bare(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && is_bare(s[i])) ++i;
  std::string_view text = s.substr(start, i - start);
  if (!is_digit(text[0]) && text[0] != '-') return Token{Tok::word, text, {}};
  auto v = parse_json_scalar(text);
  if (!v || !v->is_number()) return invalid(FilterErrc::malformed_number, "malformed number " + quoted(text));
  return Token{Tok::literal, text, std::move(*v)};
}

// Splits `s` into tokens ending with Tok::end.
std::variant<std::vector<Token>, FilterError> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '(' || c == ')') {
      out.push_back(Token{c == '(' ? Tok::lparen : Tok::rparen, s.substr(i++, 1), {}});
    } else if (c == '"' || is_bare(c)) {
      Lexed t = c == '"' ? lex_string(s, i) : lex_bare(s, i);
      if (auto* e = std::get_if<FilterError>(&t)) return std::move(*e);
      out.push_back(std::move(std::get<Token>(t)));
    } else {
      return invalid(FilterErrc::unexpected_character, "unexpected character " + quoted(s.substr(i, 1)));
    }
  }
  out.push_back(Token{Tok::end, {}, {}});
  return out;
}

bool valid_attribute(std::string_view a) {
  bool segment_start = true;
  for (char c : a) {
    if (c == '.') {
      if (segment_start) return false;
      segment_start = true;
    } else if (is_alpha(c) || is_digit(c) || c == '_' || c == '$') {
      segment_start = false;
    } else {
      return false;
    }
  }
  return !segment_start;
}

std::optional<Op> parse_op(std::string_view word, bool allow_ew) {
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"eq", Op::eq}, {"ne", Op::ne}, {"gt", Op::gt}, {"ge", Op::ge}, {"lt", Op::lt},
      {"le", Op::le}, {"sw", Op::sw}, {"co", Op::co}, {"ew", Op::ew}, {"pr", Op::pr}};
  for (const auto& [name, op] : kOps) {
    if (iequals(word, name) && (op != Op::ew || allow_ew)) return op;
  }
  return std::nullopt;
}

bool is_text_op(Op op) { return op == Op::sw || op == Op::co || op == Op::ew; }

// sw/co/ew compare text; gt/ge/lt/le need something ordered; eq/ne take any value.
bool accepts(Op op, const json::value& v) {
  if (is_text_op(op)) return v.is_string();
  if (op == Op::eq || op == Op::ne) return true;
  return v.is_string() || v.is_number();
}

FilterError unexpected(const Token& t) {
  if (t.kind == Tok::end) return invalid(FilterErrc::unexpected_end, "unexpected end of expression");
  return invalid(FilterErrc::unexpected_token, "unexpected " + quoted(t.text));
}

// Recursive descent; depth-limited so that hostile nesting cannot exhaust the stack.
class Parser {
 public:
  Parser(std::vector<Token> tokens, const FilterOptions& opts)
      : tokens_(std::move(tokens)), opts_(opts) {}

  std::variant<FilterNode, FilterError> run() {
    if (peek().kind == Tok::end) return invalid(FilterErrc::empty_expression, "empty expression");
    auto root = parse_junction(0, Kind::any_of);
    if (root && peek().kind != Tok::end) fail(unexpected(peek()));
    if (error_) return std::move(*error_);
    return std::move(*root);
  }

 private:
  const Token& peek() const { return tokens_[pos_]; }
  const Token& take() { return tokens_[pos_ + 1 < tokens_.size() ? pos_++ : pos_]; }

  bool take_keyword(std::string_view keyword) {
    if (peek().kind != Tok::word || !iequals(peek().text, keyword)) return false;
    take();
    return true;
  }

  std::nullopt_t fail(FilterError e) {
    if (!error_) error_ = std::move(e);
    return std::nullopt;
  }

  // any_of: and-terms joined by "or"; all_of: unary terms joined by "and".
  std::optional<FilterNode> parse_junction(std::size_t depth, Kind kind) {
    const bool is_or = kind == Kind::any_of;
    auto term = [&] { return is_or ? parse_junction(depth, Kind::all_of) : parse_unary(depth); };
    auto first = term();
    if (!first) return std::nullopt;
    FilterNode node{kind, {}, {}};
    node.children.push_back(std::move(*first));
    while (take_keyword(is_or ? "or" : "and")) {
      auto next = term();
      if (!next) return std::nullopt;
      node.children.push_back(std::move(*next));
    }
    if (node.children.size() == 1) return std::move(node.children.front());
    return node;
  }

  std::optional<FilterNode> parse_unary(std::size_t depth) {
    if (depth > std::min(opts_.max_depth, kMaxNesting))
      return fail(invalid(FilterErrc::too_deep, "expression is nested too deeply"));
    if (peek().kind == Tok::lparen) {
      take();
      auto inner = parse_junction(depth + 1, Kind::any_of);
      if (!inner) return std::nullopt;
      if (peek().kind != Tok::rparen) return fail(unexpected(peek()));
      take();
      return inner;
    }
    if (take_keyword("not")) {
      auto inner = parse_unary(depth + 1);
      if (!inner) return std::nullopt;
      FilterNode node{Kind::negate, {}, {}};
      node.children.push_back(std::move(*inner));
      return node;
    }
    return parse_comparison();
  }

  std::optional<FilterNode> parse_comparison() {
    const Token& attr = take();
    if (attr.kind != Tok::word) return fail(unexpected(attr));
    if (!valid_attribute(attr.text)) return fail(invalid(FilterErrc::invalid_attribute, "invalid attribute " + quoted(attr.text)));
    const Token& op_token = take();
    if (op_token.kind == Tok::end) return fail(invalid(FilterErrc::missing_operator, "missing operator"));
    if (op_token.kind != Tok::word) return fail(unexpected(op_token));
    auto op = parse_op(op_token.text, opts_.allow_ew);
    if (!op) return fail(invalid(FilterErrc::unknown_operator, "unknown operator " + quoted(op_token.text)));
    if (++terms_ > opts_.max_terms) return fail(invalid(FilterErrc::too_many_terms, "too many conditions"));
    FilterNode node;
    node.cmp.attr = std::string(attr.text);
    node.cmp.op = *op;
    if (*op == Op::pr) return node;
    auto value = take_value();
    if (!value) return std::nullopt;
    if (!accepts(*op, *value))
      return fail(invalid(FilterErrc::wrong_value_type, "wrong value type for " + quoted(op_token.text)));
    if (value->is_string()) {
      node.cmp.folded = folded(value->get_string());
      node.cmp.millis = parse_timestamp(value->get_string());
    }
    node.cmp.literal = std::move(*value);
    return node;
  }

  std::optional<json::value> take_value() {
    const Token& t = take();
    if (t.kind == Tok::literal) return t.literal;
    if (t.kind == Tok::word && t.text == "true") return json::value(true);
    if (t.kind == Tok::word && t.text == "false") return json::value(false);
    if (t.kind == Tok::word && t.text == "null") return json::value(nullptr);
    return fail(t.kind == Tok::end ? invalid(FilterErrc::missing_value, "missing value") : unexpected(t));
  }

  std::vector<Token> tokens_;  // ends with Tok::end
  const FilterOptions& opts_;
  std::size_t pos_ = 0;
  std::size_t terms_ = 0;
  std::optional<FilterError> error_;
};

double to_double(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

// Exact for integers (int64 and uint64 mixed); via double when either side is fractional.
int compare_numbers(const json::value& a, const json::value& b) {
  if (a.is_double() || b.is_double()) return sign(to_double(a), to_double(b));
  const bool a_neg = a.is_int64() && a.get_int64() < 0;
  const bool b_neg = b.is_int64() && b.get_int64() < 0;
  if (a_neg && b_neg) return sign(a.get_int64(), b.get_int64());
  if (a_neg || b_neg) return a_neg ? -1 : 1;
  auto to_u64 = [](const json::value& v) {
    return v.is_uint64() ? v.get_uint64() : static_cast<std::uint64_t>(v.get_int64());
  };
  return sign(to_u64(a), to_u64(b));
}

// Three-way order of a record value against the literal; nullopt when they are not comparable.
std::optional<int> order(const json::value& v, const Comparison& c) {
  if (v.is_number() && c.literal.is_number()) return compare_numbers(v, c.literal);
  if (!v.is_string() || !c.literal.is_string()) return std::nullopt;
  std::string_view s = v.get_string();
  if (c.millis) {
    if (auto t = parse_timestamp(s)) return sign(*t, *c.millis);
  }
  return sign(folded(s).compare(c.folded), 0);
}

bool equals(const json::value& v, const Comparison& c) {
  if (c.literal.is_null() || v.is_null()) return c.literal.is_null() && v.is_null();
  if (c.literal.is_bool() || v.is_bool()) return v == c.literal;
  auto o = order(v, c);
  return o && *o == 0;
}

// `op` is never ne or pr here: eval_comparison handles those.
bool matches_scalar(const json::value& v, const Comparison& c, Op op) {
  if (op == Op::eq) return equals(v, c);
  if (is_text_op(op)) {
    if (!v.is_string()) return false;
    std::string s = folded(v.get_string());
    if (op == Op::sw) return s.starts_with(c.folded);
    if (op == Op::ew) return s.ends_with(c.folded);
    return s.find(c.folded) != std::string::npos;
  }
  auto o = order(v, c);
  if (!o) return false;
  if (op == Op::gt) return *o > 0;
  if (op == Op::ge) return *o >= 0;
  if (op == Op::lt) return *o < 0;
  return *o <= 0;  // le
}

bool eval_comparison(const Comparison& c, const AttributeLookup& lookup) {
  const std::optional<json::value> v = lookup(c.attr);
  if (c.op == Op::pr) {
    return v && !v->is_null() && !(v->is_array() && v->get_array().empty());
  }
  const Op op = c.op == Op::ne ? Op::eq : c.op;  // ne is `not eq`, so a missing attribute matches
  bool any = false;
  if (v && v->is_array()) {
    const auto& items = v->get_array();
    any = std::any_of(items.begin(), items.end(),
                      [&](const json::value& item) { return matches_scalar(item, c, op); });
  } else if (v) {
    any = matches_scalar(*v, c, op);
  }
  return c.op == Op::ne ? !any : any;
}

bool evaluate(const FilterNode& n, const AttributeLookup& lookup) {
  auto eval = [&](const FilterNode& child) { return evaluate(child, lookup); };
  const auto& kids = n.children;
  if (n.kind == Kind::all_of) return std::all_of(kids.begin(), kids.end(), eval);
  if (n.kind == Kind::any_of) return std::any_of(kids.begin(), kids.end(), eval);
  if (n.kind == Kind::negate) return !eval(kids.front());
  return eval_comparison(n.cmp, lookup);
}

}  // namespace

Filter::Filter(std::shared_ptr<const detail::FilterNode> root) : root_(std::move(root)) {}

std::variant<Filter, FilterError> Filter::parse(std::string_view expr, const FilterOptions& opts) {
  // Values all the way down: the lexer and parser report failures as FilterError (with its
  // FilterErrc); Boost.JSON parses literals with an error_code. Only allocation can throw, and
  // that is not an input error: it reaches the session's top-level handler.
  if (expr.size() > opts.max_length) return invalid(FilterErrc::too_long, "expression is too long");
  auto tokens = tokenize(expr);
  if (auto* e = std::get_if<FilterError>(&tokens)) return std::move(*e);
  auto root = Parser(std::move(std::get<std::vector<Token>>(tokens)), opts).run();
  if (auto* e = std::get_if<FilterError>(&root)) return std::move(*e);
  return Filter(std::make_shared<const FilterNode>(std::move(std::get<FilterNode>(root))));
}

bool Filter::matches(const AttributeLookup& lookup) const {
  return root_ && lookup && evaluate(*root_, lookup);
}

}  // namespace gh::api
