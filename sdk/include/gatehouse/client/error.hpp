#pragma once
// The SDK's expected failures as values: an error code, the HTTP status when a server answered,
// and a short description (an OAuth "error"/"error_description" pair or an Okta errorCode and
// errorSummary). Never holds a secret: request bodies and credentials are not copied into it.
#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <string>
#include <type_traits>

namespace gh::sdk {

enum class Errc {
  ok = 0,
  bad_url = 1,         // not an absolute http(s) URL
  insecure_url,        // http:// to a host that is not loopback
  transport_failed,    // DNS, connect, TLS, timeout, or a malformed HTTP response
  http_status,         // an unexpected status (see Error::status and Error::detail)
  bad_response,        // a 2xx body that is not the JSON document expected
  oauth_error,         // the token endpoint answered an RFC 6749 §5.2 error
  discovery_failed,    // no metadata document, or its issuer is not the configured one
  bad_key,             // the private key (PEM or JWK) cannot be used
  bad_config,          // options that do not fit (e.g. private_key_jwt without a key)
  // Verifier (RFC 6750 §3.1, RFC 9449 §7.1)
  missing_token,       // no Authorization header of a known scheme
  invalid_token,       // signature, issuer, audience, time or format refused
  insufficient_scope,  // a required scope is missing
  invalid_dpop_proof,  // the DPoP proof is refused (RFC 9449 §4.3)
  jwks_unavailable,    // the JWK set could not be fetched
};

const boost::system::error_category& sdk_category() noexcept;
inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), sdk_category()};
}

struct Error {
  boost::system::error_code code;
  int status = 0;      // HTTP status when a server answered, else 0
  std::string detail;  // e.g. "invalid_client: ..." or "E0000007: Not found: ..."

  Error() = default;
  Error(boost::system::error_code c, int s = 0, std::string d = {})
      : code(c), status(s), detail(std::move(d)) {}
  Error(Errc e, int s = 0, std::string d = {}) : Error(make_error_code(e), s, std::move(d)) {}
  std::string message() const;  // code message, status and detail on one line
};

template <class T>
using Result = boost::system::result<T, Error>;

[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace gh::sdk

template <>
struct boost::system::is_error_code_enum<gh::sdk::Errc> : std::true_type {};
