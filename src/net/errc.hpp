#pragma once
// net::Errc: why an outbound fetch was refused or failed. Messages name the rule, never carry
// response bytes or the URL (log lines stay free of secrets a URL may hold).
#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

#include <type_traits>

namespace gh::net {

enum class Errc {
  ok = 0,
  bad_url = 1,         // not an absolute http(s) URL, userinfo, fragment, bad host or port
  scheme_not_allowed,  // http:// to a host not in [jwks_uri] allow_http_hosts
  resolve_failed,      // DNS gave no address
  address_refused,     // a resolved address is not public unicast (http/address_policy.hpp)
  connect_failed,
  tls_failed,          // handshake, certificate chain or host name verification failed
  timeout,             // the total time limit passed (DNS + connect + TLS + response)
  redirect_refused,    // 3xx: redirects are never followed
  bad_status,          // any status other than 200
  too_large,           // the response exceeds the size limit
  bad_response,        // not parsable as HTTP/1.1, or cut short
};

const boost::system::error_category& net_category() noexcept;
inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), net_category()};
}

}  // namespace gh::net

template <>
struct boost::system::is_error_code_enum<gh::net::Errc> : std::true_type {};
