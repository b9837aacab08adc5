#pragma once
// The key under which a source address is counted by the failure throttles (okta-compat.md
// §11.30-31): an IPv4 address as is; an IPv4-mapped IPv6 address as its IPv4 form; other IPv6
// addresses by their /64 prefix (one host usually holds a whole /64); anything unparseable as
// given.
#include <string>
#include <string_view>

namespace gh::core {

std::string address_key(std::string_view address);

}  // namespace gh::core
