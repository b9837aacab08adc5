#include "api/tokens/issue.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "crypto/credential.hpp"

namespace gh::api {

IssuedToken issue_api_token(core::Random& random, const crypto::Pepper& pepper, std::string user_id,
                            std::string name, domain::Millis now) {
  IssuedToken t;
  t.value = crypto::generate_credential(random, crypto::CredentialKind::api_token);
  t.meta.id = core::new_id(random, core::id_prefix::api_token);
  t.meta.user_id = std::move(user_id);
  t.meta.name = std::move(name);
  t.meta.mac = pepper.mac(t.value.reveal());
  t.meta.hint = crypto::credential_hint(t.value.reveal(), crypto::CredentialKind::api_token);
  t.meta.created = t.meta.last_updated = t.meta.last_used = now;
  return t;
}

std::string render_api_token(std::string_view org_url, const domain::ApiToken& t, domain::Millis last_used,
                             std::chrono::milliseconds idle_window, const core::SecretString* value) {
  namespace json = boost::json;
  auto iso = [](domain::Millis ms) { return core::format_iso8601(core::from_epoch_ms(ms)); };
  auto days = std::chrono::duration_cast<std::chrono::hours>(idle_window).count() / 24;
  std::string self = std::string(org_url) + "/api/v1/api-tokens/" + t.id;
  json::object o{{"id", t.id},
                 {"name", t.name},
                 {"userId", t.user_id},
                 {"clientName", "Okta API"},
                 {"created", iso(t.created)},
                 {"lastUpdated", iso(t.last_updated)},
                 {"expiresAt", iso(last_used + idle_window.count())},
                 {"tokenWindow", "P" + std::to_string(days) + "D"},
                 {"network", json::object{{"connection", "ANYWHERE"}}},
                 {"_links", json::object{{"self", json::object{{"href", self}}},
                                         {"user", json::object{{"href", std::string(org_url) + "/api/v1/users/" + t.user_id}}}}}};
  if (value) {
    o["token"] = value->reveal();  // okta-compat.md §11.10: the value, shown once
    o["tokenType"] = "SSWS";
  }
  return json::serialize(o);
}

}  // namespace gh::api
