#pragma once
// What a management API handler gets: the request, its org, the authenticated principal, and
// the server's shared parts. Handlers are synchronous and contain no SQL (STYLE.md §2 rule 3).
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "api/common/api_error.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/random.hpp"
#include "crypto/mac.hpp"
#include "crypto/sealer.hpp"
#include "domain/permissions.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/url.hpp"
#include "model/directory.hpp"
#include "oauth/dpop/resource_request.hpp"
#include "store/event_queue.hpp"
#include "store/store.hpp"

namespace gh::keys {
class KeyRing;
}
namespace gh::api::session {
class SessionStore;
}

namespace gh::api {

struct Limits {
  std::size_t max_json_depth = 64;  // okta-compat.md §11.7
  std::chrono::milliseconds api_token_idle{std::chrono::hours(24 * 30)};  // tokenWindow P30D
  // Requests per org per minute for users, groups, apps, logs, other (okta-compat.md §11.30).
  std::array<std::uint32_t, 5> per_minute{1200, 1200, 1200, 1200, 1200};
  bool rate_limits_enabled = true;  // config rate_limits.enabled
  // Failed authentications per source address per minute before further failures get 429
  // (okta-compat.md §11.31; config rate_limits.auth_failures_per_address_per_minute).
  std::uint32_t auth_failures_per_address_per_minute = 250;
};

// Server-wide parts, built once in server/ and shared (immutable or internally synchronised).
struct Deps {
  store::Store& store;
  model::Directory& directory;
  const core::Clock& clock;
  core::Random& random;
  const crypto::Pepper& pepper;
  const crypto::Sealer& sealer;  // signing keys at rest
  keys::KeyRing& keyring;        // parsed signing keys
  Limits limits;
  std::string base_url;  // ORG of the first org; later orgs are base_url/o/{slug}
  // Builds and registers the model of a newly created org (server/ supplies it).
  std::function<model::OrgModel&(store::OrgSnapshot)> add_org;
  // System Log events that record no change (first use of an API token, rate-limit violations);
  // null: not recorded.
  store::EventQueue* events = nullptr;
  // Hosts a jwks_uri may name with http:// (config [jwks_uri] allow_http_hosts; okta-compat.md §11.23).
  std::vector<std::string> jwks_uri_http_hosts = {};
  // The admin console's sessions (issue 17): a session cookie is then a credential of /api/v1
  // (api/session); null: cookies are ignored.
  session::SessionStore* sessions = nullptr;
};

// ssws: a user's credential (an API token, or a console session: Principal::session);
// bearer: an OAuth client's access token.
enum class CredentialType { ssws, bearer };

struct Principal {
  CredentialType type = CredentialType::ssws;
  std::string user_id;    // SSWS: the token's owner
  std::string token_id;   // SSWS: the API token's id
  std::string client_id;  // Bearer/DPoP: the access token's client (cid)
  // Bearer: the token's scp still backed by an ACTIVE scope grant of the client.
  domain::PermissionSet scopes;
  // What the principal may do (DESIGN.md "Authorization model"). SSWS: the owner's current roles'
  // permissions. Bearer: scopes ∩ the client's current roles' permissions.
  domain::PermissionSet permissions;
  bool is_super_admin = false;  // holds SUPER_ADMIN (for Bearer: the client does)
  // `Authorization: DPoP`: the access token was DPoP-bound and its proof passed every check;
  // the proof's jti is consumed once the request passed the rate limit (okta-compat.md §1.12).
  bool dpop = false;
  std::optional<oauth::dpop::PendingProof> dpop_proof;
  // A console session cookie authenticated the user (type ssws, token_id empty; issue 17).
  bool session = false;

  // Whether the credential carries the scope `p` needs (okta.<resource>.<action>; manage also
  // satisfies read). Always true for SSWS. Checked before roles (okta-compat.md §3): a missing
  // scope is 403 insufficient_scope, a missing role 403 E0000006.
  bool has_scope(domain::Permission p) const {
    return type != CredentialType::bearer || scopes.allows(p);
  }
  // Scope and role: what handlers that check inside should ask.
  bool allows(domain::Permission p) const { return has_scope(p) && permissions.allows(p); }
};

struct Ctx {
  http::Request& req;
  model::OrgModel& org;
  Deps& deps;
  const http::PathParams& params;
  const http::Params& query;
  Principal principal;
  std::shared_lock<core::SharedMutex>* lock = nullptr;  // the org's mutex, held shared
  domain::Millis now() const { return core::epoch_ms(deps.clock.now()); }
};

// Commits `changes` with the System Log events describing them, durably, then applies them to
// the org's model (read-your-writes, §11.8). Runs on the writer thread only. On failure nothing
// is applied and the refusal is commit_failed's (a conflict → 400, anything else → 500).
Result<void> commit(Ctx& ctx, const store::ChangeSet& changes);

}  // namespace gh::api
