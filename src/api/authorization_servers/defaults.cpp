#include "api/authorization_servers/defaults.hpp"

#include <boost/json/array.hpp>

#include <mutex>
#include <shared_mutex>

#include "api/authorization_servers/json_mapping.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "keys/signing_keys.hpp"

namespace gh::api {
namespace json = boost::json;
using auth_servers::to_array;

namespace {
std::string iso(domain::Millis t) { return core::format_iso8601(core::from_epoch_ms(t)); }

domain::Document make_doc(std::string_view kind, std::string id, std::string parent, json::object body,
                          domain::Millis now) {
  body["id"] = id;
  body["created"] = body["lastUpdated"] = iso(now);
  return {std::string(kind), std::move(id), std::move(parent), std::move(body)};
}

// Okta's texts for the system scopes.
struct SystemScope {
  std::string_view name, description;
};
constexpr SystemScope kSystemScopes[] = {
    {"openid", "Signals that a request is an OpenID request."},
    {"profile", "Allows access to end-user's default profile claims."},
    {"email", "Allows access to end-user's email address."},
    {"address", "Allows access to end-user's address."},
    {"phone", "Allows access to end-user's phone number."},
    {"offline_access",
     "Requests a refresh token by default, used to obtain more access tokens without re-prompting "
     "the user for authentication."},
    {"device_sso",
     "Requests a device secret, used to obtain a new set of tokens without re-prompting the user "
     "for authentication."},
};

// The `default` AS with its keys, scopes, "Default Policy" and "Default Policy Rule".
gh::Result<store::ChangeSet> default_server(core::Random& random, const crypto::Sealer& sealer, domain::Millis now) {
  const std::string as_id(kDefaultAuthServerId);
  auto keys = new_key_pair(jose::Alg::RS256, as_id, sealer, random, now);
  if (!keys) return keys.error();
  store::ChangeSet out;
  out.push_back(store::PutDocument{new_auth_server(as_id, "default", "Default Authorization Server",
                                                   {"api://default"}, jose::Alg::RS256, keys->front().id, now)});
  for (auto& k : *keys) out.push_back(store::PutDocument{std::move(k)});
  for (auto& s : system_scopes(as_id, random, now)) out.push_back(store::PutDocument{std::move(s)});

  auto policy_id = core::new_id(random, auth_servers::id_prefix::policy);
  json::object policy{{"type", "OAUTH_AUTHORIZATION_POLICY"},
                      {"name", "Default Policy"},
                      {"description", "Default policy description"},
                      {"priority", 1},
                      {"status", "ACTIVE"},
                      {"system", false},  // Okta marks the default policy system:false
                      {"conditions", json::object{{"clients", json::object{{"include", json::array{"ALL_CLIENTS"}}}}}}};
  out.push_back(store::PutDocument{make_doc(domain::kind::as_policy, policy_id, as_id, std::move(policy), now)});

  json::object rule{
      {"name", "Default Policy Rule"},
      {"type", "RESOURCE_ACCESS"},
      {"priority", 1},
      {"status", "ACTIVE"},
      {"system", false},
      {"conditions",
       json::object{{"people", json::object{{"groups", json::object{{"include", json::array{"EVERYONE"}}}}}},
                    {"grantTypes", json::object{{"include", json::array{"client_credentials", "authorization_code",
                                                                        "implicit", "password"}}}},
                    {"scopes", json::object{{"include", json::array{"*"}}}}}},
      {"actions", json::object{{"token", json::object{{"accessTokenLifetimeMinutes", 60},
                                                      {"refreshTokenLifetimeMinutes", 0},
                                                      {"refreshTokenWindowMinutes", 10080}}}}},
      {"_gh", json::object{{"authServerId", as_id}}}};
  out.push_back(store::PutDocument{make_doc(domain::kind::as_rule, core::new_id(random, auth_servers::id_prefix::rule),
                                            policy_id, std::move(rule), now)});
  return out;
}

void append(store::ChangeSet& to, std::vector<domain::Document> docs) {
  for (auto& d : docs) to.push_back(store::PutDocument{std::move(d)});
}
}  // namespace

gh::Result<std::vector<domain::Document>> new_key_pair(jose::Alg alg, std::string_view as_id,
                                                   const crypto::Sealer& sealer, core::Random& random,
                                                   domain::Millis now) {
  std::vector<domain::Document> out;
  for (std::string_view status : {"ACTIVE", "NEXT"}) {
    auto k = keys::new_signing_key(alg, std::string(as_id), status, sealer, random, now);
    if (!k) return k.error();
    out.push_back(std::move(*k));
  }
  return out;
}

domain::Document new_auth_server(std::string id, std::string name, std::string description,
                                 std::vector<std::string> audiences, jose::Alg alg, std::string_view kid,
                                 domain::Millis now) {
  // Gatehouse has no scheduled rotation: keys change only through keyRotate, so MANUAL.
  json::object body{{"name", std::move(name)},
                    {"description", std::move(description)},
                    {"audiences", to_array(audiences)},
                    {"issuerMode", "ORG_URL"},
                    {"status", "ACTIVE"},
                    {"credentials", json::object{{"signing", json::object{{"kid", kid},
                                                                         {"rotationMode", "MANUAL"},
                                                                         {"use", "sig"},
                                                                         {"lastRotated", iso(now)},
                                                                         {"nextRotation", nullptr}}}}},
                    {"_gh", json::object{{"alg", jose::alg_name(alg)}}}};
  return make_doc(domain::kind::auth_server, id, "", std::move(body), now);
}

std::vector<domain::Document> system_scopes(std::string_view as_id, core::Random& random, domain::Millis now) {
  std::vector<domain::Document> out;
  for (auto& s : kSystemScopes) {
    json::object body{{"name", s.name},
                      {"displayName", s.name},
                      {"description", s.description},
                      {"consent", "IMPLICIT"},
                      {"default", false},
                      {"optional", false},
                      {"metadataPublish", "ALL_CLIENTS"},
                      {"system", true}};
    out.push_back(make_doc(domain::kind::as_scope, core::new_id(random, auth_servers::id_prefix::scope),
                           std::string(as_id), std::move(body), now));
  }
  return out;
}

gh::Result<store::ChangeSet> oauth_defaults(core::Random& random, const crypto::Sealer& sealer, domain::Millis now) {
  auto org_keys = new_key_pair(jose::Alg::RS256, "", sealer, random, now);
  if (!org_keys) return org_keys.error();
  auto out = default_server(random, sealer, now);
  if (!out) return out.error();
  append(*out, std::move(*org_keys));
  return out;
}

gh::Result<store::ChangeSet> missing_oauth_defaults(const model::OrgModel& org, core::Random& random,
                                                const crypto::Sealer& sealer, domain::Millis now) {
  store::ChangeSet out;
  if (keys::signing_keys(org, "", "ACTIVE").empty()) {
    auto keys = new_key_pair(jose::Alg::RS256, "", sealer, random, now);
    if (!keys) return keys.error();
    append(out, std::move(*keys));
  }
  auto* as = org.doc(domain::kind::auth_server, kDefaultAuthServerId);
  if (!as) {
    auto d = default_server(random, sealer, now);
    if (!d) return d.error();
    for (auto& c : *d) out.push_back(std::move(c));
  } else if (keys::signing_keys(org, kDefaultAuthServerId, "ACTIVE").empty()) {
    auto keys = new_key_pair(auth_servers::server_alg(*as), kDefaultAuthServerId, sealer, random, now);
    if (!keys) return keys.error();
    append(out, std::move(*keys));
  }
  return out;
}

gh::Result<void> ensure_oauth_defaults(store::Store& store, model::OrgModel& org, core::Random& random,
                                   const crypto::Sealer& sealer, domain::Millis now) {
  gh::Result<store::ChangeSet> missing = store::ChangeSet{};
  {
    std::shared_lock lk(org.mutex());
    missing = missing_oauth_defaults(org, random, sealer, now);
  }
  if (!missing) return missing.error();
  if (missing->empty()) return {};
  if (auto r = store.commit(org.id(), *missing); !r) return r;
  std::unique_lock lk(org.mutex());
  org.apply(*missing);
  return {};
}

}  // namespace gh::api
