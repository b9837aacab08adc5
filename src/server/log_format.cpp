#include "server/log_format.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <ctime>

namespace gh::server {
namespace {
// The length of the UTF-8 sequence at s[i] (RFC 3629 §4), or 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

// RFC 8259 §7: a JSON string's content.
void append_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (auto n = utf8_length(s, i)) {
      out.append(s.substr(i, n));
      i += n - 1;
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

// The value of `request_id=` in a log message (docs/architecture.md: refusal lines name it).
std::string_view request_id_of(std::string_view message) {
  constexpr std::string_view kKey = "request_id=";
  auto at = message.find(kKey);
  if (at == std::string_view::npos || (at > 0 && message[at - 1] != ' ')) return {};
  auto v = message.substr(at + kKey.size());
  return v.substr(0, v.find_first_of(" \""));
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto level = spdlog::level::to_string_view(msg.level);
    auto line = json_log_line(msg.time, {level.data(), level.size()}, {msg.payload.data(), msg.payload.size()});
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};
}  // namespace

std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level,
                          std::string_view message) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  std::string out;
  out.reserve(64 + message.size());
  out.append(R"({"time":")").append(stamp).append(R"(","level":")");
  append_escaped(out, level);
  out.append(R"(","message":")");
  append_escaped(out, message);
  out += '"';
  if (auto rid = request_id_of(message); !rid.empty()) {
    out.append(R"(,"request_id":")");
    append_escaped(out, rid);
    out += '"';
  }
  out.append("}\n");
  return out;
}

void use_json_logs() { spdlog::set_formatter(std::make_unique<JsonFormatter>()); }

}  // namespace gh::server
