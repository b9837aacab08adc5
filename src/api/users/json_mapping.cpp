#include "api/users/json_mapping.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.hpp"

namespace gh::api::users {

std::string render_user(std::string_view org_url, const domain::User& u) {
  namespace json = boost::json;
  auto iso_or_null = [](domain::Millis t) -> json::value {
    if (t == 0) return nullptr;
    return json::value(core::format_iso8601(core::from_epoch_ms(t)));
  };
  json::object credentials{{"provider", json::object{{"type", "OKTA"}, {"name", "OKTA"}}}};
  if (!u.password_hash.empty()) credentials["password"] = json::object{};
  json::object o{
      {"id", u.id},
      {"status", to_string(u.status)},
      {"created", iso_or_null(u.created)},
      {"activated", iso_or_null(u.activated)},
      {"statusChanged", iso_or_null(u.status_changed)},
      {"lastLogin", iso_or_null(u.last_login)},
      {"lastUpdated", iso_or_null(u.last_updated)},
      {"passwordChanged", iso_or_null(u.password_changed)},
      {"type", json::object{{"id", "otyDefaultUserType00"}}},
      {"profile", u.profile},
      {"credentials", std::move(credentials)},
      {"_links", json::object{{"self", json::object{{"href", std::string(org_url) + "/api/v1/users/" + u.id}}}}}};
  return json::serialize(o);
}

}  // namespace gh::api::users
