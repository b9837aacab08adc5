#include "api/orgs/bootstrap.hpp"

#include "api/authorization_servers/defaults.hpp"
#include "core/ids.hpp"

namespace gh::api {

OrgBootstrap bootstrap_org(core::Random& random, const crypto::Pepper& pepper, const crypto::Sealer& sealer,
                           domain::Millis now,
                           std::string slug, std::string name, boost::json::object admin_profile,
                           std::string password_hash, int api_tokens) {
  OrgBootstrap b;
  b.org = {core::new_id(random, core::id_prefix::org), std::move(slug), std::move(name), now};
  domain::User admin;
  admin.id = core::new_id(random, core::id_prefix::user);
  admin.status = domain::UserStatus::ACTIVE;
  admin.created = admin.activated = admin.status_changed = admin.last_updated = now;
  admin.profile = std::move(admin_profile);
  admin.password_hash = std::move(password_hash);
  if (!admin.password_hash.empty()) admin.password_changed = now;
  b.admin_id = admin.id;
  b.changes.push_back(store::PutUser{admin});

  domain::Group everyone;
  everyone.id = core::new_id(random, core::id_prefix::group);
  everyone.type = domain::GroupType::BUILT_IN;
  everyone.created = everyone.last_updated = everyone.last_membership_updated = now;
  everyone.profile = {{"name", "Everyone"}, {"description", "All users in your organization"}};
  b.changes.push_back(store::PutGroup{everyone});

  domain::RoleAssignment role;
  role.id = core::new_id(random, core::id_prefix::role_assignment);
  role.principal_id = admin.id;
  role.type = "SUPER_ADMIN";
  role.created = role.last_updated = now;
  b.changes.push_back(store::PutRole{role});

  for (int i = 0; i < api_tokens; ++i) {
    auto t = issue_api_token(random, pepper, admin.id, i == 0 ? "gatehouse-init" : "gatehouse-init-" + std::to_string(i + 1), now);
    b.changes.push_back(store::PutApiToken{t.meta});
    b.tokens.push_back(std::move(t.value));
  }

  auto oauth = oauth_defaults(random, sealer, now);
  if (!oauth) {
    b.error = oauth.error();
    return b;
  }
  for (auto& c : *oauth) b.changes.push_back(std::move(c));
  return b;
}

}  // namespace gh::api
