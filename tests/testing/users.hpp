#pragma once
// Users for the store and event tests: ACTIVE, with the profile Okta requires.
#include <cstdint>
#include <string>

#include "domain/types.hpp"

namespace gh::testing {

inline domain::User active_user(std::string id, const std::string& login, std::int64_t created = 1) {
  domain::User u;
  u.id = std::move(id);
  u.status = domain::UserStatus::ACTIVE;
  u.created = created;
  u.profile = {{"login", login}, {"email", login}, {"firstName", "A"}, {"lastName", "B"}};
  return u;
}

}  // namespace gh::testing
