#include "core/address_key.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace gh::core {

std::string address_key(std::string_view address) {
  std::string text(address.substr(0, address.find('%')));  // drop an IPv6 zone id
  unsigned char v6[16];
  if (inet_pton(AF_INET6, text.c_str(), v6) != 1) return std::string(address);
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char buf[INET6_ADDRSTRLEN];
  if (std::memcmp(v6, kMapped, sizeof kMapped) == 0) {
    inet_ntop(AF_INET, v6 + 12, buf, sizeof buf);
    return buf;
  }
  std::memset(v6 + 8, 0, 8);
  inet_ntop(AF_INET6, v6, buf, sizeof buf);
  return std::string(buf) + "/64";
}

}  // namespace gh::core
