#pragma once
// The DPoP `htu` comparison (RFC 9449 §4.3 step 9; okta-compat.md §1.2, §11.27).
#include <optional>
#include <string>
#include <string_view>

namespace gh::oauth::dpop {

// Normalises an absolute http(s) URL for comparison: query and fragment removed; scheme and
// host lower-cased; the scheme's default port removed (RFC 3986 §6.2.2.1, §6.2.3); repeated '/'
// in the path collapsed and one trailing '/' removed, as the server treats request paths
// (okta-compat.md §1.2: Okta's SDK sends `//api/v1/...` when orgUrl ends in '/'); an empty path
// becomes "/"; percent-encodings of unreserved characters decoded and the hex of the others
// upper-cased (RFC 3986 §6.2.2.2). nullopt for anything else: another scheme, userinfo, a bad
// port or escape, a control character or space. Thread-safe, no allocation beyond the result.
std::optional<std::string> normalize_htu(std::string_view url);

// Whether the proof's `htu` names `request_url` (the canonical URL the request was sent to,
// ORG + path): both normalised by normalize_htu and equal. A malformed htu never matches.
bool htu_matches(std::string_view htu, std::string_view request_url);

}  // namespace gh::oauth::dpop
