#include "oauth/jwks/jwks_endpoint.hpp"

#include <string>

namespace gh::oauth {

http::Response handle_jwks(keys::KeyRing& keyring, const model::OrgModel& org, const AuthServer& as) {
  auto res = http::Response::json(200, keyring.jwks_json(org, as.id));
  // Clients re-fetch on an unknown kid; rotation publishes NEXT keys ahead of use.
  res.set("Cache-Control", "max-age=" + std::to_string(kJwksMaxAgeSeconds) + ", must-revalidate");
  return res;
}

}  // namespace gh::oauth
