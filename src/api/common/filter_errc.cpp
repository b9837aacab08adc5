#include "api/common/filter_errc.hpp"

namespace gh::api {
namespace {
class FilterCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gh.api.filter"; }
  std::string message(int ev) const override {
    switch (static_cast<FilterErrc>(ev)) {
      case FilterErrc::ok: return "ok";
      case FilterErrc::too_long: return "expression is too long";
      case FilterErrc::empty_expression: return "empty expression";
      case FilterErrc::unterminated_string: return "unterminated string";
      case FilterErrc::malformed_string: return "malformed string";
      case FilterErrc::malformed_number: return "malformed number";
      case FilterErrc::unexpected_character: return "unexpected character";
      case FilterErrc::unexpected_token: return "unexpected token";
      case FilterErrc::unexpected_end: return "unexpected end of expression";
      case FilterErrc::too_deep: return "expression is nested too deeply";
      case FilterErrc::invalid_attribute: return "invalid attribute";
      case FilterErrc::missing_operator: return "missing operator";
      case FilterErrc::unknown_operator: return "unknown operator";
      case FilterErrc::too_many_terms: return "too many conditions";
      case FilterErrc::wrong_value_type: return "wrong value type for the operator";
      case FilterErrc::missing_value: return "missing value";
    }
    return "unknown";
  }
};
}  // namespace

const boost::system::error_category& filter_category() noexcept {
  static const FilterCategory c;
  return c;
}

}  // namespace gh::api
