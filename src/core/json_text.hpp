#pragma once
// JSON text written directly (hot paths that would otherwise build a boost::json tree only to
// serialise it). Strings are escaped as boost::json's serializer escapes them (RFC 8259 §7:
// quotation mark, reverse solidus and C0 controls), so either writer gives the same bytes.
#include <string>
#include <string_view>

namespace gh::core {

void append_json_string(std::string& out, std::string_view s);

}  // namespace gh::core
