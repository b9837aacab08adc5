#include "net/errc.hpp"

namespace gh::net {
namespace {
class NetCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gh.net"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::ok: return "ok";
      case Errc::bad_url: return "not an acceptable absolute URL";
      case Errc::scheme_not_allowed: return "http is not allowed for this host";
      case Errc::resolve_failed: return "the host name did not resolve";
      case Errc::address_refused: return "the host resolves to a non-public address";
      case Errc::connect_failed: return "connection failed";
      case Errc::tls_failed: return "TLS handshake or certificate verification failed";
      case Errc::timeout: return "time limit exceeded";
      case Errc::redirect_refused: return "redirects are not followed";
      case Errc::bad_status: return "the response status is not 200";
      case Errc::too_large: return "the response exceeds the size limit";
      case Errc::bad_response: return "malformed or truncated response";
    }
    return "unknown";
  }
};
}  // namespace

const boost::system::error_category& net_category() noexcept {
  static const NetCategory c;
  return c;
}

}  // namespace gh::net
