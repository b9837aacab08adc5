#pragma once
// SCIM-like `filter=` / `search=` expressions for /api/v1/users, /api/v1/groups and /api/v1/logs
// (okta-compat.md §2 "Filter and search expressions"). An expression that fails to parse must be
// answered with 400 E0000031, never with an unfiltered result (okta-compat.md §11 item 9).
#include <boost/json/value.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "api/common/filter_errc.hpp"

namespace gh::api {

namespace detail {
struct FilterNode;  // parsed expression tree; defined in filter.cpp
}  // namespace detail

struct FilterOptions {
  bool allow_ew = false;          // `ew` only for logs
  std::size_t max_length = 4096;  // longer expression → error
  std::size_t max_depth = 32;     // nesting of parens/not → error
  std::size_t max_terms = 100;    // comparisons → error
};

// Client-safe text ("Invalid search criteria: <reason>."); quotes at most the first 32 printable
// characters of the offending token and never the rest of the expression.
struct FilterError {
  std::string message;
  boost::system::error_code code;  // a FilterErrc: what failed, without the expression's text
};

// An attribute's value for a record: nullopt when the record lacks it. Values are JSON: strings,
// numbers, bools (null and arrays of those are also understood).
using AttributeLookup = std::function<std::optional<boost::json::value>(std::string_view attr)>;

/**
 * A parsed, immutable filter expression.
 *
 * Grammar (operators and `and`/`or`/`not` are case-insensitive; `and` binds tighter than `or`;
 * `not` applies to the following comparison, `not` or parenthesised group):
 *   expr    := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" expr ")" | attr "pr" | attr op value
 *   op      := eq ne gt ge lt le sw co (ew with FilterOptions::allow_ew)
 *   attr    := case-sensitive dotted path of [A-Za-z0-9_$] segments, not starting with a digit
 *   value   := JSON string | JSON number | true | false | null
 * `sw`/`co`/`ew` need a string value; `gt`/`ge`/`lt`/`le` a string or a number.
 *
 * Semantics: strings compare case-insensitively (ASCII fold). When both sides are ISO-8601
 * timestamps (YYYY-MM-DDTHH:mm:ss[.fff]Z) they compare as instants, for `eq`/`ne` too, so
 * "…:00Z" equals "…:00.000Z". Numbers compare numerically; bools only with `eq`/`ne`; values of
 * different types never match. `pr` means present, not null and not an empty array. For an array
 * value a comparison matches when any element matches, except `ne`, which is exactly `not eq`:
 * it matches when no element equals the value, and it matches a missing attribute.
 *
 * Limits: FilterOptions::max_depth is capped at 256 whatever its value, so that hostile nesting
 * can never exhaust the parser's stack.
 */
class Filter {
 public:
  // Parses `expr`; returns FilterError (with its FilterErrc) for any malformed or over-limit
  // input. Throws nothing but std::bad_alloc.
  static std::variant<Filter, FilterError> parse(std::string_view expr,
                                                 const FilterOptions& opts = {});

  // Evaluates against one record. Thread-safe (const); calls `lookup` once per comparison
  // reached. An empty `lookup` matches nothing.
  bool matches(const AttributeLookup& lookup) const;

 private:
  explicit Filter(std::shared_ptr<const detail::FilterNode> root);

  std::shared_ptr<const detail::FilterNode> root_;
};

}  // namespace gh::api
