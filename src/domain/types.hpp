#pragma once
// Value types of the directory: orgs, users, groups, admin roles, API tokens. Plain data; the
// invariants (lifecycle rules, permissions) live in the sibling headers.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "core/mac.hpp"

namespace gh::domain {

using Millis = std::int64_t;  // epoch milliseconds; 0 = never / null

struct Org {
  std::string id;
  std::string slug;  // "" for the first org (served at base_url); else served at base_url/o/{slug}
  std::string name;
  Millis created = 0;
};

enum class UserStatus { STAGED, PROVISIONED, ACTIVE, RECOVERY, LOCKED_OUT, PASSWORD_EXPIRED, SUSPENDED, DEPROVISIONED };
std::string_view to_string(UserStatus s);
std::optional<UserStatus> user_status_from(std::string_view s);

struct User {
  std::string id;
  UserStatus status = UserStatus::STAGED;
  Millis created = 0, activated = 0, status_changed = 0, last_login = 0, last_updated = 0,
         password_changed = 0;
  boost::json::object profile;  // login, email, firstName, lastName, custom attributes
  std::string password_hash;    // argon2id PHC string; empty when the user has no password
  std::string login() const;
};

enum class GroupType { OKTA_GROUP, BUILT_IN };
std::string_view to_string(GroupType t);

struct Group {
  std::string id;
  GroupType type = GroupType::OKTA_GROUP;
  Millis created = 0, last_updated = 0, last_membership_updated = 0;
  boost::json::object profile;  // name, description
  std::string name() const;
};

enum class PrincipalType { USER, CLIENT };
std::string_view to_string(PrincipalType t);

struct RoleAssignment {
  std::string id;
  PrincipalType principal_type = PrincipalType::USER;
  std::string principal_id;
  std::string type;  // SUPER_ADMIN, ORG_ADMIN, ... (domain/roles.hpp)
  Millis created = 0, last_updated = 0;
};

struct ApiToken {
  std::string id;
  std::string user_id;
  std::string name;
  core::Mac mac{};  // HMAC-SHA256(pepper, secret), never the secret
  std::string hint;  // prefix and first characters, never the secret
  Millis created = 0, last_updated = 0, last_used = 0;
  bool revoked = false;
};

}  // namespace gh::domain
