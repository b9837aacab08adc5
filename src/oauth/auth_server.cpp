#include "oauth/auth_server.hpp"

#include "oauth/detail/json_access.hpp"

namespace gh::oauth {

std::string AuthServer::endpoint(std::string_view name) const {
  std::string out = org_url + "/oauth2/";
  if (!is_org()) out += id + "/";
  out += "v1/";
  out += name;
  return out;
}

Error not_found_error() {
  auto e = invalid_request("The requested authorization server was not found.");
  e.status = 404;
  e.error = "not_found";
  return e;
}

Result<AuthServer> find_auth_server(const model::OrgModel& org, std::string_view as_id) {
  AuthServer as;
  as.org_url = org.url();
  if (as_id.empty()) {
    as.issuer = org.url();  // okta-compat.md §4: the org AS issuer is ORG itself
    return as;
  }
  auto* doc = org.doc(domain::kind::auth_server, as_id);
  if (!doc || !detail::is_active(doc->body)) return not_found_error();
  as.id = std::string(as_id);
  as.issuer = org.url() + "/oauth2/" + as.id;
  as.doc = doc;
  return as;
}

}  // namespace gh::oauth
