#pragma once
// A new org's first state: the org, its SUPER_ADMIN, the BUILT_IN group Everyone and the admin's
// API tokens. Used by `gatehouse init` and by POST /api/v1/orgs.
#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "api/tokens/issue.hpp"
#include "store/store.hpp"

namespace gh::api {

struct OrgBootstrap {
  domain::Org org;
  store::ChangeSet changes;
  std::string admin_id;
  std::vector<core::SecretString> tokens;
};

// `admin_profile` holds login, email, firstName, lastName; `password_hash` is argon2id (may be
// empty only in tests).
OrgBootstrap bootstrap_org(core::Random& random, const crypto::Pepper& pepper, domain::Millis now,
                           std::string slug, std::string name, boost::json::object admin_profile,
                           std::string password_hash, int api_tokens);

}  // namespace gh::api
