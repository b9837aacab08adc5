#include "api/common/authorization.hpp"

#include "http/message.hpp"

namespace gh::api {
namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

AuthorizationHeader parse_authorization(std::string_view header) {
  header = trim(header);
  if (header.empty()) return {};
  auto sp = header.find(' ');
  auto scheme = header.substr(0, sp);
  AuthorizationHeader out;
  out.credentials = sp == std::string_view::npos ? std::string_view{} : trim(header.substr(sp + 1));
  // RFC 6750 §2.1 (Bearer), RFC 9449 §7.1 (DPoP), Okta's SSWS (okta-compat.md §3).
  if (http::iequals(scheme, "Bearer")) out.scheme = AuthScheme::bearer;
  else if (http::iequals(scheme, "DPoP")) out.scheme = AuthScheme::dpop;
  else if (http::iequals(scheme, "SSWS")) out.scheme = AuthScheme::ssws;
  else out.scheme = AuthScheme::other;
  return out;
}

}  // namespace gh::api
