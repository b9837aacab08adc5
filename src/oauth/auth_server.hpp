#pragma once
// The authorization server a request is addressed to (okta-compat.md §4 table): the org AS
// (id "") or a custom AS ("default" or "aus…"), with its issuer and endpoint URLs.
#include <string>
#include <string_view>

#include "domain/documents.hpp"
#include "model/org_model.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth {

struct AuthServer {
  std::string id;                        // "" = the org AS
  std::string org_url;                   // ORG, no trailing slash
  std::string issuer;                    // ORG or ORG/oauth2/{id}
  const domain::Document* doc = nullptr; // auth_server document; null for the org AS

  bool is_org() const { return id.empty(); }
  // ORG/oauth2/v1/{name} for the org AS, ORG/oauth2/{id}/v1/{name} for a custom AS.
  std::string endpoint(std::string_view name) const;
};

// Resolves `as_id` in `org`. Unknown or not ACTIVE → 404 not_found (an OAuth JSON error).
// Caller holds the org lock shared; the result is valid while it is held.
Result<AuthServer> find_auth_server(const model::OrgModel& org, std::string_view as_id);

// 404 {"error":"not_found"} for an unknown authorization server or endpoint.
Error not_found_error();

}  // namespace gh::oauth
