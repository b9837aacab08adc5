#pragma once
// Custom authorization servers decide what a token may carry (okta-compat.md §4.1 "Scopes",
// docs/oauth-documents.md): scopes, access policies and their rules, and resource claims.
// They are read from the org model's documents into typed records once per model version
// (AsTokenSettings), not walked as JSON on every token request (issue 20).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/org_model.hpp"
#include "oauth/errors.hpp"

namespace gh::oauth {

// What the token endpoint reads of one custom authorization server and its child documents.
struct AsTokenSettings {
  struct Rule {  // an ACTIVE as_rule
    std::string id;
    std::vector<std::string> grant_types;  // conditions.grantTypes.include (its strings)
    std::vector<std::string> scopes;       // conditions.scopes.include
    bool any_scope = false;                // "*" among them
    std::int64_t access_token_lifetime = 3600;  // seconds
  };
  struct Policy {  // an ACTIVE as_policy
    std::string id;
    std::vector<std::string> clients;  // conditions.clients.include ("ALL_CLIENTS" or ids)
    std::vector<Rule> rules;           // ACTIVE, by priority
  };
  struct Claim {  // an ACTIVE RESOURCE claim with an EXPRESSION value and a name not reserved
    std::string name;
    bool always = false;                // alwaysIncludeInToken
    bool scope_condition = false;       // conditions.scopes is an array
    std::vector<std::string> scopes;    // its strings
    std::string expression;             // value
  };
  std::vector<std::string> scope_names;  // every as_scope's name
  std::vector<Policy> policies;          // ACTIVE, by priority (ties by id)
  std::vector<Claim> claims;             // by id
  std::vector<std::string> audiences;    // the server's audiences (its strings)
};

// The settings of `as_id` (whose document body is `auth_server`) in `org` as it is now: built
// on the first call for a model version, then shared. The caller holds the org lock shared.
// Thread-safe (one small cache per thread).
std::shared_ptr<const AsTokenSettings> as_token_settings(const model::OrgModel& org, std::string_view as_id,
                                                         const boost::json::object& auth_server);

// Each scope must be an as_scope of the server. Errors: 400 invalid_scope.
Result<void> check_scopes_exist(const AsTokenSettings& as, const std::vector<std::string>& scopes);

struct PolicyDecision {
  std::string policy_id;
  std::string rule_id;
  std::int64_t access_token_lifetime = 3600;  // seconds
};

// The first ACTIVE policy by priority whose conditions.clients.include holds ALL_CLIENTS or
// `client_id` (none → 401 access_denied); within it, the first ACTIVE rule by priority whose
// grantTypes.include holds `grant_type` and whose scopes.include is ["*"] or holds every scope
// (none → 400 access_denied). Later policies are not consulted (Okta's evaluation).
Result<PolicyDecision> evaluate_access_policy(const AsTokenSettings& as, std::string_view client_id,
                                              std::string_view grant_type, const std::vector<std::string>& scopes);

// The ACTIVE RESOURCE claims of the server that apply: alwaysIncludeInToken, or conditions.scopes
// intersecting `scopes`. EXPRESSION values (okta-compat.md §11.17): `app.clientId` and Okta EL
// string literals ("\"acme\""); other expressions are skipped. Reserved names are skipped.
boost::json::object resource_claims(const AsTokenSettings& as, std::string_view client_id,
                                    const std::vector<std::string>& scopes);

// The access-token aud of a custom AS: its audience as a string when there is one, an array
// when several; the issuer when none is configured.
boost::json::value audience_of(const AsTokenSettings& as, std::string_view issuer);

}  // namespace gh::oauth
