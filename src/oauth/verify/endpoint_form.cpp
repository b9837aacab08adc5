#include "oauth/verify/endpoint_form.hpp"

#include <unordered_set>

#include "oauth/auth_server.hpp"

namespace gh::oauth {

Result<http::Params> parse_form(const http::Request& req) {
  // RFC 7662 §2.1, RFC 7009 §2.1: parameters in an application/x-www-form-urlencoded body.
  auto ct = req.header("Content-Type");
  auto type = ct.substr(0, ct.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  if (!http::iequals(type, "application/x-www-form-urlencoded"))
    return invalid_request("The request must be application/x-www-form-urlencoded.");
  auto form = http::Params::parse(req.body);
  if (!form) return invalid_request("The request body is not well-formed.");
  // okta-compat.md §11.20: any parameter given twice → invalid_request.
  std::unordered_set<std::string_view> seen;
  for (auto& item : form->items())
    if (!seen.insert(item.first).second) return invalid_request("A parameter was given more than once.");
  return std::move(*form);
}

Result<AuthenticatedClient> authenticate_client(ClientAuthenticator& auth, const http::Request& req,
                                                const http::Params& form,
                                                const model::OrgModel& org, std::string_view as_id,
                                                std::string_view endpoint) {
  auto as = find_auth_server(org, as_id);
  if (!as) return as.error();
  ClientAuthInput in{form, req.header("Authorization"), *as, endpoint, req.remote_addr};
  return auth.authenticate(in, org);
}

std::optional<std::string_view> token_param(const http::Params& form) {
  auto t = form.get("token");
  if (!t || t->empty()) return std::nullopt;
  return t;
}

}  // namespace gh::oauth
