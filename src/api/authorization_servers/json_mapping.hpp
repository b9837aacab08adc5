#pragma once
// Authorization-server documents (docs/oauth-documents.md) to and from Okta wire JSON
// (okta-compat.md §5 Authorization server, Scope, Claim, Policy, Rule, AS key).
// Stored bodies are the wire JSON minus `_links`, plus private members under `_gh`; the renderers
// here strip `_gh` and add absolute `_links`. Pure functions; thread-safe.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/documents.hpp"
#include "domain/json_fields.hpp"
#include "jose/alg.hpp"
#include "model/org_model.hpp"

namespace gh::api::auth_servers {

namespace id_prefix {  // Okta's id prefixes for these resources (17 base62 characters follow)
inline constexpr std::string_view auth_server = "aus";
inline constexpr std::string_view scope = "scp";
inline constexpr std::string_view claim = "ocl";
inline constexpr std::string_view policy = "00p";
inline constexpr std::string_view rule = "0pr";
}  // namespace id_prefix

inline constexpr std::string_view kCollectionPath = "/api/v1/authorizationServers";

// "/api/v1/authorizationServers/{as_id}" (relative to the org URL).
std::string server_path(std::string_view as_id);

// A document's body without `_gh`, plus `id`.
boost::json::object public_body(const domain::Document& d);

using domain::str_member;  // domain/json_fields.hpp

// The signing algorithm of an auth_server document (`_gh.alg`; RS256 when absent).
jose::Alg server_alg(const domain::Document& as);

// AuthorizationServer: `issuer` = ORG/oauth2/{id}, `credentials.signing.kid` = the ACTIVE key of
// the server (read from `org`), the Gatehouse extension `signing.alg`, and `_links`.
// Caller holds the org lock.
std::string render_server(const model::OrgModel& org, const domain::Document& d);
// Children of the authorization server `as_id` (a rule's parent is its policy).
std::string render_scope(std::string_view org_url, std::string_view as_id, const domain::Document& d);
std::string render_claim(std::string_view org_url, std::string_view as_id, const domain::Document& d);
std::string render_policy(std::string_view org_url, std::string_view as_id, const domain::Document& d);
std::string render_rule(std::string_view org_url, std::string_view as_id, const domain::Document& d);
// AS key: the public JWK, `status` and `_links` (never the sealed private key).
boost::json::object render_key(std::string_view org_url, const domain::Document& key);

// Body readers that record problems as errorCauses ("path: text"), like FieldReader.
// A list of non-empty strings at `key`; nullopt when absent (a cause when `required`) or invalid.
std::optional<std::vector<std::string>> string_list(const boost::json::object& o, std::string_view key,
                                                    bool required, std::string_view path,
                                                    std::vector<std::string>& causes);
// An integer at `key` within [lo, hi]; nullopt when absent or invalid (a cause when invalid).
std::optional<std::int64_t> integer(const boost::json::object& o, std::string_view key,
                                    std::int64_t lo, std::int64_t hi, std::string_view path,
                                    std::vector<std::string>& causes);
// A string at `key` that must be one of `allowed`; `fallback` when absent.
std::optional<std::string> one_of(const boost::json::object& o, std::string_view key,
                                  std::initializer_list<std::string_view> allowed,
                                  std::string_view fallback, std::string_view path,
                                  std::vector<std::string>& causes);

boost::json::array to_array(const std::vector<std::string>& v);

}  // namespace gh::api::auth_servers
