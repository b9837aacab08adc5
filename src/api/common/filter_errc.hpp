#pragma once
// Why a filter expression failed to parse (Filter::parse). The category's messages are fixed
// text: they never quote the expression, so they may be logged (ApiError::cause).
#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

#include <type_traits>

namespace gh::api {

enum class FilterErrc {
  ok = 0,
  too_long = 1,
  empty_expression,
  unterminated_string,
  malformed_string,
  malformed_number,
  unexpected_character,
  unexpected_token,
  unexpected_end,
  too_deep,
  invalid_attribute,
  missing_operator,
  unknown_operator,
  too_many_terms,
  wrong_value_type,
  missing_value,
};
const boost::system::error_category& filter_category() noexcept;
inline boost::system::error_code make_error_code(FilterErrc e) noexcept {
  return {static_cast<int>(e), filter_category()};
}

}  // namespace gh::api

template <>
struct boost::system::is_error_code_enum<gh::api::FilterErrc> : std::true_type {};
