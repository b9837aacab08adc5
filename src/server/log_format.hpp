#pragma once
// Log lines as JSON (`log_format = "json"`, `serve --log-format json`): one object a line with
// "time" (ISO 8601, UTC, milliseconds), "level", "message" and, when the message names one,
// "request_id". The message is the text line's, so a JSON log carries no more than a text one
// (never a secret: docs/architecture.md "Errors").
#include <chrono>
#include <string>
#include <string_view>

namespace gh::server {

// One JSON log line (with its newline). Bytes that are not UTF-8 are escaped as \u00XX.
std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level,
                          std::string_view message);

// Makes every logger of this process write json_log_line()s.
void use_json_logs();

}  // namespace gh::server
