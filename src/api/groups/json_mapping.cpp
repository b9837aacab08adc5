#include "api/groups/json_mapping.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.hpp"

namespace gh::api::groups {

std::string render_group(std::string_view org_url, const domain::Group& g) {
  namespace json = boost::json;
  auto iso = [](domain::Millis t) { return core::format_iso8601(core::from_epoch_ms(t)); };
  std::string self = std::string(org_url) + "/api/v1/groups/" + g.id;
  std::string logo = std::string(org_url) + "/img/logos/groups/okta-";
  json::object o{
      {"id", g.id},
      {"created", iso(g.created)},
      {"lastUpdated", iso(g.last_updated)},
      {"lastMembershipUpdated", iso(g.last_membership_updated)},
      {"objectClass", json::array{"okta:user_group"}},
      {"type", to_string(g.type)},
      {"profile", g.profile},
      {"_links",
       json::object{
           {"logo", json::array{json::object{{"name", "medium"}, {"href", logo + "medium.png"}, {"type", "image/png"}},
                                json::object{{"name", "large"}, {"href", logo + "large.png"}, {"type", "image/png"}}}},
           {"users", json::object{{"href", self + "/users"}}},
           {"apps", json::object{{"href", self + "/apps"}}},
           {"self", json::object{{"href", self}}}}}};
  return json::serialize(o);
}

}  // namespace gh::api::groups
