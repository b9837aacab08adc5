#include "oauth/discovery/discovery.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "domain/documents.hpp"
#include "domain/permissions.hpp"
#include "oauth/detail/json_access.hpp"
#include "oauth/dpop/proof.hpp"

namespace gh::oauth {
namespace {
namespace json = boost::json;

json::array strings(std::initializer_list<std::string_view> items) {
  json::array out;
  for (auto s : items) out.emplace_back(s);
  return out;
}

// The client authentication methods Gatehouse implements (client_auth/).
json::array auth_methods() { return strings({"client_secret_basic", "client_secret_post", "private_key_jwt"}); }

json::array scopes_supported(const model::OrgModel& org, const AuthServer& as) {
  json::array out;
  if (as.is_org()) {
    // The okta.* scopes the permission atoms need (DESIGN.md "Authorization model"), each once:
    // groupMembers shares okta.groups.* with groups.
    for (auto r = 0; r < static_cast<int>(domain::Resource::count_); ++r)
      for (auto a : {domain::Action::read, domain::Action::manage})
        if (json::value s(domain::Permission{static_cast<domain::Resource>(r), a}.scope());
            std::find(out.begin(), out.end(), s) == out.end())
          out.push_back(std::move(s));
    return out;
  }
  for (auto* d : org.children(domain::kind::as_scope, as.id)) {
    // Okta publishes only scopes whose metadataPublish is ALL_CLIENTS.
    if (detail::str_at(d->body, {"metadataPublish"}) == "NO_CLIENTS") continue;
    if (auto name = detail::str_at(d->body, {"name"}); !name.empty()) out.emplace_back(name);
  }
  return out;
}

}  // namespace

json::object discovery_document(const model::OrgModel& org, const AuthServer& as) {
  json::object d;
  d["issuer"] = as.issuer;
  d["authorization_endpoint"] = as.endpoint("authorize");
  d["token_endpoint"] = as.endpoint("token");
  d["jwks_uri"] = as.endpoint("keys");
  d["introspection_endpoint"] = as.endpoint("introspect");
  d["revocation_endpoint"] = as.endpoint("revoke");
  d["response_types_supported"] = strings({"token"});
  d["grant_types_supported"] = strings({"client_credentials"});
  d["subject_types_supported"] = strings({"public"});
  d["id_token_signing_alg_values_supported"] = strings({"RS256"});
  d["scopes_supported"] = scopes_supported(org, as);
  d["token_endpoint_auth_methods_supported"] = auth_methods();
  d["token_endpoint_auth_signing_alg_values_supported"] =
      strings({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"});
  d["introspection_endpoint_auth_methods_supported"] = auth_methods();
  d["revocation_endpoint_auth_methods_supported"] = auth_methods();
  d["claims_supported"] = strings({"ver", "jti", "iss", "aud", "iat", "exp", "cid", "scp", "sub"});
  // §11.26: published from the start (RFC 9449 §5.1); the algorithms oauth/dpop accepts.
  json::array dpop_algs;
  for (std::string_view rest = dpop::kSupportedAlgs; !rest.empty();) {
    auto sp = rest.find(' ');
    dpop_algs.emplace_back(rest.substr(0, sp));
    rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
  }
  d["dpop_signing_alg_values_supported"] = std::move(dpop_algs);
  return d;
}

http::Response handle_discovery(const model::OrgModel& org, const AuthServer& as) {
  auto res = http::Response::json(200, json::serialize(discovery_document(org, as)));
  res.set("Cache-Control", "max-age=300");
  return res;
}

}  // namespace gh::oauth
