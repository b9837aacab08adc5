#pragma once
// Custom authorization servers decide what a token may carry (okta-compat.md §4.1 "Scopes",
// docs/oauth-documents.md): scopes, access policies and their rules, and resource claims.
// All functions read the org model; the caller holds the org lock shared.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/org_model.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth {

// Each scope must be an as_scope of `as_id`. Errors: 400 invalid_scope.
Result<void> check_scopes_exist(const model::OrgModel& org, std::string_view as_id,
                                const std::vector<std::string>& scopes);

struct PolicyDecision {
  std::string policy_id;
  std::string rule_id;
  std::int64_t access_token_lifetime = 3600;  // seconds
};

// The first ACTIVE policy by priority whose conditions.clients.include holds ALL_CLIENTS or
// `client_id` (none → 401 access_denied); within it, the first ACTIVE rule by priority whose
// grantTypes.include holds `grant_type` and whose scopes.include is ["*"] or holds every scope
// (none → 400 access_denied). Later policies are not consulted (Okta's evaluation).
Result<PolicyDecision> evaluate_access_policy(const model::OrgModel& org, std::string_view as_id,
                                              std::string_view client_id, std::string_view grant_type,
                                              const std::vector<std::string>& scopes);

// The ACTIVE RESOURCE claims of `as_id` that apply: alwaysIncludeInToken, or conditions.scopes
// intersecting `scopes`. EXPRESSION values (okta-compat.md §11.17): `app.clientId` and Okta EL
// string literals ("\"acme\""); other expressions are skipped. Reserved names are skipped.
boost::json::object resource_claims(const model::OrgModel& org, std::string_view as_id,
                                    std::string_view client_id, const std::vector<std::string>& scopes);

// The access-token aud of a custom AS: its audience as a string when there is one, an array
// when several; the issuer when none is configured.
boost::json::value audience_of(const boost::json::object& auth_server, std::string_view issuer);

}  // namespace gh::oauth
