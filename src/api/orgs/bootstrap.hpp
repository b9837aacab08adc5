#pragma once
// A new org's first state: the org, its SUPER_ADMIN, the BUILT_IN group Everyone, the admin's
// API tokens and the OAuth defaults (org AS keys, the `default` authorization server with its keys,
// scopes, policy and rule: api/authorization_servers/defaults.hpp). Used by `gatehouse init` and
// by POST /api/v1/orgs.
#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "api/tokens/issue.hpp"
#include "core/result.hpp"
#include "crypto/sealer.hpp"
#include "store/store.hpp"

namespace gh::api {

struct OrgBootstrap {
  domain::Org org;
  store::ChangeSet changes;
  std::string admin_id;
  std::vector<core::SecretString> tokens;
  // Set when the OAuth defaults could not be made (signing-key generation failed: an environment
  // problem). `changes` is then incomplete and must not be committed.
  error_code error;
};

// `admin_profile` holds login, email, firstName, lastName; `password_hash` is argon2id (may be
// empty only in tests). Signing keys are sealed with `sealer`.
OrgBootstrap bootstrap_org(core::Random& random, const crypto::Pepper& pepper, const crypto::Sealer& sealer,
                           domain::Millis now,
                           std::string slug, std::string name, boost::json::object admin_profile,
                           std::string password_hash, int api_tokens);

}  // namespace gh::api
