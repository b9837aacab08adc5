#pragma once
// Request bodies: JSON parsing with Okta's errors (E0000003 malformed, E0000001 invalid).
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "api/common/api_error.hpp"

namespace gh::api {

// Parses `body` as a JSON object; an empty body is `{}` (okta-compat.md §1.16). Depth beyond
// `max_depth` or malformed JSON → E0000003; a non-object → E0000001.
Result<boost::json::object> parse_object_body(std::string_view body, std::size_t max_depth);

// Field accessors that record what is wrong in `causes` (→ E0000001 with errorCauses).
class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& o) : o_(o) {}
  std::optional<std::string> string(std::string_view key, bool required, std::string_view path);
  const boost::json::object* object(std::string_view key, bool required, std::string_view path);
  std::optional<bool> boolean(std::string_view key, std::string_view path);
  std::vector<std::string>& causes() { return causes_; }
  bool ok() const { return causes_.empty(); }

 private:
  const boost::json::object& o_;
  std::vector<std::string> causes_;
};

std::string to_json(const boost::json::value& v);

}  // namespace gh::api
