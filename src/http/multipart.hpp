#pragma once
// multipart/form-data request bodies (RFC 7578, RFC 2046 §5.1): the parts, by field name.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gh::http {

struct FormPart {
  std::string name;          // Content-Disposition: form-data; name="…"
  std::string filename;      // its filename="…", "" when absent
  std::string content_type;  // the part's Content-Type, "" when absent
  std::string_view data;     // a view into the body
};

// The boundary parameter of a `multipart/form-data` Content-Type; nullopt for another media type
// or a missing or malformed boundary (RFC 2046 §5.1.1: 1 to 70 characters).
std::optional<std::string> form_data_boundary(std::string_view content_type);

// The parts of `body`; nullopt when it is not a well-formed multipart body with that boundary
// (no closing delimiter, a part without a blank line after its headers, too many parts).
std::optional<std::vector<FormPart>> parse_form_data(std::string_view body, std::string_view boundary);

}  // namespace gh::http
