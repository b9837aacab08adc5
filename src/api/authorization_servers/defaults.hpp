#pragma once
// The OAuth configuration every org has (docs/oauth-documents.md, last paragraph): the org AS
// signing keys (ACTIVE + NEXT, RS256, parent "") and the custom authorization server `default`
// (audience api://default) with its keys, the system scopes, "Default Policy" and
// "Default Policy Rule". Also the pieces a new custom AS is made of (servers.cpp uses them).
#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"
#include "core/result.hpp"
#include "crypto/sealer.hpp"
#include "domain/documents.hpp"
#include "jose/alg.hpp"
#include "model/org_model.hpp"
#include "store/store.hpp"

namespace gh::api {

inline constexpr std::string_view kDefaultAuthServerId = "default";

// ACTIVE + NEXT signing_key documents of `alg` for `as_id` ("" = the org AS).
// Errors: key generation failures from jose (environment problems, not input).
gh::Result<std::vector<domain::Document>> new_key_pair(jose::Alg alg, std::string_view as_id,
                                                   const crypto::Sealer& sealer, core::Random& random,
                                                   domain::Millis now);

// The auth_server document (status ACTIVE, rotationMode MANUAL, `_gh.alg`); `kid` is the ACTIVE key.
domain::Document new_auth_server(std::string id, std::string name, std::string description,
                                 std::vector<std::string> audiences, jose::Alg alg, std::string_view kid,
                                 domain::Millis now);

// The system scopes of a new AS: openid profile email address phone offline_access device_sso
// (okta-compat.md §5, `system: true`).
std::vector<domain::Document> system_scopes(std::string_view as_id, core::Random& random, domain::Millis now);

// Everything a new org needs (see the header comment), as PutDocument changes.
gh::Result<store::ChangeSet> oauth_defaults(core::Random& random, const crypto::Sealer& sealer, domain::Millis now);

// What `org` lacks of oauth_defaults(): org AS keys without an ACTIVE key, the `default` AS if
// absent (with everything that belongs to it), or ACTIVE + NEXT keys for an existing `default`
// without an ACTIVE key. Empty when nothing is missing. Caller holds the org lock.
gh::Result<store::ChangeSet> missing_oauth_defaults(const model::OrgModel& org, core::Random& random,
                                                const crypto::Sealer& sealer, domain::Millis now);

// For orgs created before issue #3: commits missing_oauth_defaults() through `store`, then applies
// it to `org` under its unique lock. Called once per org at start, before serving.
gh::Result<void> ensure_oauth_defaults(store::Store& store, model::OrgModel& org, core::Random& random,
                                   const crypto::Sealer& sealer, domain::Millis now);

}  // namespace gh::api
