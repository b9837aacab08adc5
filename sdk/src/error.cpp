// gh::sdk::Errc and Error.
#include "gatehouse/client/error.hpp"

#include <boost/throw_exception.hpp>
#include <stdexcept>

namespace gh::sdk {
namespace {
class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gatehouse.sdk"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::ok: return "ok";
      case Errc::bad_url: return "not an absolute http(s) URL";
      case Errc::insecure_url: return "http:// is allowed only to loopback hosts";
      case Errc::transport_failed: return "the HTTP exchange failed";
      case Errc::http_status: return "unexpected HTTP status";
      case Errc::bad_response: return "unexpected response body";
      case Errc::oauth_error: return "the authorization server refused the request";
      case Errc::discovery_failed: return "authorization server metadata not found or wrong";
      case Errc::bad_key: return "the private key cannot be used";
      case Errc::bad_config: return "inconsistent client options";
      case Errc::missing_token: return "no access token";
      case Errc::invalid_token: return "invalid access token";
      case Errc::insufficient_scope: return "insufficient scope";
      case Errc::invalid_dpop_proof: return "invalid DPoP proof";
      case Errc::jwks_unavailable: return "the JWK set cannot be fetched";
    }
    return "unknown sdk error";
  }
};
}  // namespace

const boost::system::error_category& sdk_category() noexcept {
  static const Category c;
  return c;
}

std::string Error::message() const {
  std::string s = code.message();
  if (status) s += " (HTTP " + std::to_string(status) + ")";
  if (!detail.empty()) s += ": " + detail;
  return s;
}

void throw_exception_from_error(const Error& e, const boost::source_location& loc) {
  boost::throw_exception(std::runtime_error(e.message()), loc);
}

}  // namespace gh::sdk
