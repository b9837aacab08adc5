#pragma once
// Authorization server metadata: OpenID Connect Discovery 1.0 §3 and RFC 8414 §2
// (okta-compat.md §4 "Discovery document", §11.26). Served at ORG/.well-known/{openid-
// configuration,oauth-authorization-server} for the org AS and at
// ORG/oauth2/{asId}/.well-known/… and ORG/.well-known/oauth-authorization-server/oauth2/{asId}
// for a custom AS.
#include <boost/json/object.hpp>

#include "http/message.hpp"
#include "model/org_model.hpp"
#include "oauth/auth_server.hpp"

namespace gh::oauth {

// The metadata document of `as`. Caller holds org.mutex() shared.
boost::json::object discovery_document(const model::OrgModel& org, const AuthServer& as);

// 200 application/json with Cache-Control: max-age. Caller holds org.mutex() shared.
http::Response handle_discovery(const model::OrgModel& org, const AuthServer& as);

}  // namespace gh::oauth
