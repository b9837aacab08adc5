#pragma once
// ORG/admin/api/session (issue 17): the admin console's sign-in (POST), who-am-I (GET) and
// sign-out (DELETE). POST verifies an argon2id password, so it runs off the I/O threads (the
// writer lane: Gateway::is_blocking sends every non-GET there; DESIGN.md "argon2id … verified off
// the I/O threads").
#include <string_view>

#include "api/common/context.hpp"
#include "api/session/session_store.hpp"
#include "core/token_bucket.hpp"

namespace gh::api::session {

inline constexpr std::string_view kPath = "/admin/api/session";

class Endpoint {
 public:
  Endpoint(Deps& deps, SessionStore& sessions);
  // `path` is org-relative and equals kPath.
  http::Response handle(http::Request& req, model::OrgModel& org);

 private:
  Result<http::Response> sign_in(http::Request& req, model::OrgModel& org);
  Result<http::Response> who_am_i(const http::Request& req, model::OrgModel& org);
  Result<http::Response> sign_out(const http::Request& req, model::OrgModel& org);

  Deps& deps_;
  SessionStore& sessions_;
  // Failed sign-ins per login and per client address (issue 17); a sign-in is refused (429)
  // before its password is checked once either bucket is empty, so guessing stops there.
  core::TokenBuckets per_account_;
  core::TokenBuckets per_address_;
};

// Whether the org is served over https (its cookies are then __Host- and Secure).
bool is_https(const Deps& deps);

// The header the console sends on requests it makes by itself (polling): they do not reset
// the session's idle clock.
inline constexpr std::string_view kBackgroundHeader = "X-Gatehouse-Background";

// The session the request's cookie names, touched (idle clock reset unless the request carries
// kBackgroundHeader); nullopt when none.
std::optional<Session> session_of(const http::Request& req, const model::OrgModel& org, const Deps& deps);

// The permissions of a user's current admin roles (none: not an admin).
domain::PermissionSet user_permissions(const model::OrgModel& org, std::string_view user_id, bool* super_admin);

}  // namespace gh::api::session
