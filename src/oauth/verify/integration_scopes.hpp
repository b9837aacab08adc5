#pragma once
// What an API service integration instance (issue 15; an app with `_gh.integration`) may use at
// the org authorization server and at /api/v1, computed at request time from the integration's
// current published version (model::Directory::published), never written into customer orgs:
// a scope that a new version dropped, or an operator's revocation of every install, acts on the
// next request, both at the token endpoint and for tokens already issued.
//
//   usable(scope) = an ACTIVE scope_grant of the instance (what the org's admin consented to)
//                 ∩ the scopes the integration declares now (the published version's; for a
//                   vendor's test instance, the snapshot of the draft it was made from)
//                 ∩ not revoked by the operator.
//
// An ordinary app's scopes are its ACTIVE grants (has_active_grant). All functions: the caller
// holds the org's mutex (shared or exclusive); the Directory is read without it. Thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "domain/client_record.hpp"
#include "model/directory.hpp"
#include "model/org_model.hpp"

namespace gh::oauth {

// Whether the operator revoked every install of the instance's integration (a test instance is
// the vendor's own and is never revoked this way).
bool instance_revoked(const model::Directory& dir, const domain::IntegrationInstance& inst);

// The scopes the instance's integration declares now: the published version's (none when the
// key is no longer published by the instance's vendor org), or a test instance's snapshot.
std::vector<std::string> declared_scopes_now(const model::Directory& dir, const domain::IntegrationInstance& inst);

// Whether the instance's scope grant `grant` (a scope_grant document) is in force: made once the
// scope's current run of declaration began (domain::grant_in_force), so that a scope a version
// dropped and a later one declared again needs the admin's consent again. Test instances: yes.
bool instance_grant_in_force(const model::Directory& dir, const domain::IntegrationInstance& inst,
                             const domain::Document& grant);

// Whether `client_id` may use the org AS scope `scope` now: an ACTIVE grant, and for an
// integration instance the rule above (and that grant in force).
bool may_use_scope(const model::Directory& dir, const model::OrgModel& org, std::string_view client_id,
                   std::string_view scope);

}  // namespace gh::oauth
