#pragma once
// OAuth configuration objects (apps, secrets, keys, grants, authorization servers and their
// scopes, claims, policies, rules, signing keys, revoked token ids) are stored as documents:
// the Okta wire JSON of the resource, plus private members under "_gh" (MACs, encrypted keys)
// that renderers strip. One kind per resource; `parent` links a child to its owner.
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace gh::domain {

namespace kind {
inline constexpr std::string_view app = "app";                  // id = client_id; parent ""
inline constexpr std::string_view client_secret = "client_secret";  // parent = client_id
inline constexpr std::string_view app_key = "app_key";          // parent = client_id (public JWK)
inline constexpr std::string_view scope_grant = "scope_grant";  // parent = client_id
inline constexpr std::string_view auth_server = "auth_server";  // id = asId ("default", "aus…")
inline constexpr std::string_view as_scope = "as_scope";        // parent = asId
inline constexpr std::string_view as_claim = "as_claim";        // parent = asId
inline constexpr std::string_view as_policy = "as_policy";      // parent = asId
inline constexpr std::string_view as_rule = "as_rule";          // parent = policyId
inline constexpr std::string_view signing_key = "signing_key";  // id = kid; parent = asId ("" = org AS)
inline constexpr std::string_view revoked_token = "revoked_token";  // id = jti; body {exp}
// API service integrations (issue 15), in the VENDOR's org. id = the integration key
// ([a-z0-9_], unique across the server: model::Directory::integration_owner).
inline constexpr std::string_view submission = "submission";              // parent ""
inline constexpr std::string_view integration_logo = "integration_logo";  // id = fs…; parent ""
// Admin console sessions (issue 17, durable and shared for issue 18): id = base64url of the MAC
// of the cookie's id; body {userId, csrf, created}. Its last-seen time, flushed now and then by
// the node that saw it, is a child (id = parent = the session's id; body {lastSeen}), so that a
// flush racing a sign-out on another node leaves an orphan, never a live session again.
inline constexpr std::string_view console_session = "console_session";            // parent ""
inline constexpr std::string_view console_session_seen = "console_session_seen";  // parent = session id
}  // namespace kind

// Whether deleting a document of `kind` also deletes the documents whose parent is its id (of
// any kind: the store keys children by parent id only). Submissions and logos have no children,
// and an integration key may equal another object's id ("default", a lowercase client id), so
// deleting one must not take that object's children along.
inline bool deletes_children(std::string_view k) { return k != kind::submission && k != kind::integration_logo; }

struct Document {
  std::string kind;
  std::string id;
  std::string parent;
  boost::json::object body;
};

}  // namespace gh::domain
