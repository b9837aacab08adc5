#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace gh::core {

std::string base64url_encode(std::string_view bytes);  // no padding (RFC 7515 §2)
void base64url_append(std::string& out, std::string_view bytes);  // the same, appended to `out`
Result<std::string> base64url_decode(std::string_view s);
std::string base64_encode(std::string_view bytes);
Result<std::string> base64_decode(std::string_view s);  // standard alphabet, padding optional
std::string hex_encode(std::string_view bytes);

}  // namespace gh::core
