#include "http/multipart.hpp"

#include "http/message.hpp"

namespace gh::http {
namespace {
constexpr std::size_t kMaxParts = 16;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of parameter `name` in a header value "type; a=b; c=\"d\"" (no escapes inside quotes).
std::optional<std::string> param(std::string_view v, std::string_view name) {
  auto semi = v.find(';');
  while (semi != std::string_view::npos) {
    v.remove_prefix(semi + 1);
    semi = v.find(';');
    auto item = trim(v.substr(0, semi));
    auto eq = item.find('=');
    if (eq == std::string_view::npos || !iequals(trim(item.substr(0, eq)), name)) continue;
    auto val = trim(item.substr(eq + 1));
    if (val.size() >= 2 && val.front() == '"' && val.back() == '"') val = val.substr(1, val.size() - 2);
    return std::string(val);
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string> form_data_boundary(std::string_view ct) {
  if (!iequals(trim(ct.substr(0, ct.find(';'))), "multipart/form-data")) return std::nullopt;
  auto b = param(ct, "boundary");
  if (!b || b->empty() || b->size() > 70) return std::nullopt;
  return b;
}

std::optional<std::vector<FormPart>> parse_form_data(std::string_view body, std::string_view boundary) {
  std::string delim = "--" + std::string(boundary);
  // The first delimiter opens the body (a preamble before it is ignored, RFC 2046 §5.1.1).
  auto pos = body.starts_with(delim) ? 0 : body.find("\r\n" + delim);
  if (pos == std::string_view::npos) return std::nullopt;
  pos += body.starts_with(delim) ? delim.size() : delim.size() + 2;
  std::vector<FormPart> parts;
  std::string next = "\r\n" + delim;
  for (;;) {
    auto rest = body.substr(pos);
    if (rest.starts_with("--")) return parts;  // the closing delimiter
    auto eol = rest.find("\r\n");
    if (eol == std::string_view::npos || !trim(rest.substr(0, eol)).empty()) return std::nullopt;
    rest.remove_prefix(eol + 2);
    auto head_end = rest.find("\r\n\r\n");
    std::string_view headers;
    if (rest.starts_with("\r\n")) {
      rest.remove_prefix(2);
    } else {
      if (head_end == std::string_view::npos) return std::nullopt;
      headers = rest.substr(0, head_end);
      rest.remove_prefix(head_end + 4);
    }
    auto end = rest.find(next);
    if (end == std::string_view::npos || parts.size() == kMaxParts) return std::nullopt;
    FormPart part;
    part.data = rest.substr(0, end);
    while (!headers.empty()) {
      auto line_end = headers.find("\r\n");
      auto line = headers.substr(0, line_end);
      headers = line_end == std::string_view::npos ? std::string_view{} : headers.substr(line_end + 2);
      auto colon = line.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      auto name = trim(line.substr(0, colon));
      auto value = trim(line.substr(colon + 1));
      if (iequals(name, "Content-Disposition")) {
        if (!iequals(trim(value.substr(0, value.find(';'))), "form-data")) return std::nullopt;
        part.name = param(value, "name").value_or("");
        part.filename = param(value, "filename").value_or("");
      } else if (iequals(name, "Content-Type")) {
        part.content_type = std::string(value);
      }
    }
    parts.push_back(std::move(part));
    pos = static_cast<std::size_t>(rest.data() - body.data()) + end + next.size();
  }
}

}  // namespace gh::http
