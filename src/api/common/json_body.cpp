#include "api/common/json_body.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace gh::api {

Result<boost::json::object> parse_object_body(std::string_view body, std::size_t max_depth) {
  bool blank = true;
  for (char c : body) blank = blank && (c == ' ' || c == '\t' || c == '\r' || c == '\n');
  if (blank) return boost::json::object{};
  boost::json::parse_options opts;
  opts.max_depth = max_depth;  // okta-compat.md §11.7: deeper → E0000003
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec, {}, opts);
  if (ec) return malformed_body(ec);
  if (!v.is_object()) return validation_failed("body", {"The request body must be a JSON object."});
  return std::move(v.as_object());
}

std::optional<std::string> FieldReader::string(std::string_view key, bool required, std::string_view path) {
  auto* v = o_.if_contains(key);
  if (!v || v->is_null()) {
    if (required) causes_.push_back(std::string(path) + ": The field cannot be left blank");
    return std::nullopt;
  }
  if (!v->is_string()) {
    causes_.push_back(std::string(path) + ": The field must be a string");
    return std::nullopt;
  }
  std::string s(v->get_string());
  if (required && s.empty()) {
    causes_.push_back(std::string(path) + ": The field cannot be left blank");
    return std::nullopt;
  }
  return s;
}

const boost::json::object* FieldReader::object(std::string_view key, bool required, std::string_view path) {
  auto* v = o_.if_contains(key);
  if (!v || v->is_null()) {
    if (required) causes_.push_back(std::string(path) + ": The field cannot be left blank");
    return nullptr;
  }
  if (!v->is_object()) {
    causes_.push_back(std::string(path) + ": The field must be an object");
    return nullptr;
  }
  return &v->get_object();
}

std::optional<bool> FieldReader::boolean(std::string_view key, std::string_view path) {
  auto* v = o_.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_bool()) {
    causes_.push_back(std::string(path) + ": The field must be a boolean");
    return std::nullopt;
  }
  return v->get_bool();
}

std::string to_json(const boost::json::value& v) { return boost::json::serialize(v); }

}  // namespace gh::api
