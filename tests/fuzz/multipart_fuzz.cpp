// libFuzzer target: multipart/form-data bodies (src/http/multipart.*), the integration logo
// upload's parser. Input: a Content-Type value, a newline, then the body. Invariants: the
// boundary is 1 to 70 characters; at most 16 parts; every part's data is a view into the body;
// parts with plain names re-encode with the same boundary and parse back to the same parts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/multipart.hpp"

namespace {
bool plain(std::string_view s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '-' || c == '_' || c == '/'))
      return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto nl = input.find('\n');
  if (nl == std::string_view::npos) return 0;
  auto boundary = gh::http::form_data_boundary(input.substr(0, nl));
  if (!boundary) return 0;
  if (boundary->empty() || boundary->size() > 70) __builtin_trap();
  const std::string_view body = input.substr(nl + 1);
  auto parts = gh::http::parse_form_data(body, *boundary);
  if (!parts) return 0;
  if (parts->size() > 16) __builtin_trap();
  bool reencodable = true;
  for (auto& p : *parts) {
    if (p.data.data() < body.data() || p.data.data() + p.data.size() > body.data() + body.size())
      __builtin_trap();
    reencodable = reencodable && plain(p.name) && plain(p.filename) && plain(p.content_type);
  }
  if (!reencodable || !plain(*boundary)) return 0;
  std::string again;
  for (auto& p : *parts) {
    again += "--" + *boundary + "\r\n";
    again += "Content-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty()) again += "; filename=\"" + p.filename + "\"";
    again += "\r\n";
    if (!p.content_type.empty()) again += "Content-Type: " + p.content_type + "\r\n";
    again += "\r\n";
    again += p.data;
    again += "\r\n";
  }
  again += "--" + *boundary + "--\r\n";
  auto back = gh::http::parse_form_data(again, *boundary);
  if (!back || back->size() != parts->size()) __builtin_trap();
  for (std::size_t i = 0; i < parts->size(); ++i) {
    const auto &a = (*parts)[i], &b = (*back)[i];
    if (a.name != b.name || a.filename != b.filename || a.content_type != b.content_type || a.data != b.data)
      __builtin_trap();
  }
  return 0;
}
