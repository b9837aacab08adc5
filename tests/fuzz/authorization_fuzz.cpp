// libFuzzer target: the `Authorization` header. At /api/v1 it is split into scheme and credentials
// (api::parse_authorization: SSWS, Bearer, DPoP, anything else) and then read by scheme (the SSWS
// credential's format and checksum, the Bearer/DPoP token as a compact JWS); at the token
// endpoint the Basic credentials are base64 of the form-urlencoded id ":" secret (RFC 6749
// §2.3.1, oauth::detail::parse_basic_credentials). Every input must end in a value, never a crash,
// a leak or undefined behaviour, and:
// - the credentials are a trimmed view into the header, empty only when nothing follows the scheme;
// - Basic credentials that parse have a non-empty client id;
// - round trip: an id and secret (no NUL) taken from the input, form-urlencoded and base64'd as
//   RFC 6749 §2.3.1 says, parse back to exactly themselves.
// The client lookups of client_secret_basic.cpp are never called here: stubs that trap.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/common/authorization.hpp"
#include "core/base64.hpp"
#include "crypto/credential.hpp"
#include "http/message.hpp"
#include "jose/jws.hpp"
#include "oauth/client_auth/methods.hpp"

namespace gh::oauth::detail {
Result<const model::ParsedDoc*> find_client(const model::OrgModel&, const core::ClientId&, std::string_view) {
  __builtin_trap();
}
bool secret_matches(const Env&, const model::OrgModel&, std::string_view, std::string_view) { __builtin_trap(); }
}  // namespace gh::oauth::detail

namespace {
bool blank(char c) { return c == ' ' || c == '\t'; }

// RFC 6749 Appendix B: application/x-www-form-urlencoded (space as '+', the rest but unreserved
// characters percent-encoded).
std::string form_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '*') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void basic(std::string_view b64) {
  auto creds = gh::oauth::detail::parse_basic_credentials(b64);
  if (creds && creds->client_id.str().empty()) __builtin_trap();
}

void round_trip(std::string_view bytes) {
  if (bytes.empty()) return;
  const std::size_t split = 1 + static_cast<unsigned char>(bytes[0]) % bytes.size();
  auto id = bytes.substr(1, split - 1), secret = bytes.substr(split);
  if (id.empty() || id.find('\0') != std::string_view::npos || secret.find('\0') != std::string_view::npos) return;
  auto creds = gh::oauth::detail::parse_basic_credentials(
      gh::core::base64_encode(form_encode(id) + ":" + form_encode(secret)));
  if (!creds || creds->client_id.str() != id || creds->secret.reveal() != secret) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  using gh::api::AuthScheme;
  auto h = gh::api::parse_authorization(header);
  const auto* begin = header.data();
  const auto* end = header.data() + header.size();
  if (!h.credentials.empty()) {
    if (h.credentials.data() < begin || h.credentials.data() + h.credentials.size() > end) __builtin_trap();
    if (blank(h.credentials.front()) || blank(h.credentials.back())) __builtin_trap();
    if (h.scheme == AuthScheme::none) __builtin_trap();
  }
  switch (h.scheme) {
    case AuthScheme::ssws:
      (void)gh::crypto::is_well_formed(h.credentials, gh::crypto::CredentialKind::api_token);
      break;
    case AuthScheme::bearer:
    case AuthScheme::dpop:
      if (auto jws = gh::jose::decode(h.credentials)) (void)gh::jose::find_kid(*jws);
      break;
    case AuthScheme::other: {
      auto trimmed = header;
      while (!trimmed.empty() && blank(trimmed.front())) trimmed.remove_prefix(1);
      if (gh::http::iequals(trimmed.substr(0, trimmed.find(' ')), "Basic")) basic(h.credentials);
      break;
    }
    case AuthScheme::none:
      for (char c : header)
        if (!blank(c)) __builtin_trap();
      break;
  }
  basic(header);
  round_trip(header);
  return 0;
}
