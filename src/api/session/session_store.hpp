#pragma once
// Sessions of the admin console (issue 17; DESIGN.md "admin console"): a browser that signed in
// at ORG/admin/ holds a random session id in a cookie; the server keeps only its MAC (Pepper,
// like every other secret), the user, the CSRF token bound to it, and two clocks: the idle
// timeout (reset by each authenticated request) and the absolute timeout (from sign-in).
// Durable and shared (issue 18): a session is a document of its org (kind console_session, id
// the MAC), created at sign-in and deleted at sign-out or once expired through ChangeSets, so a
// restarted node and every other node (the change feed) know it. Reading one is a lookup in the
// org's model (never the store). The idle clock is kept per node in memory and flushed now and
// then (`housekeeping`, the tick) as the session's console_session_seen child. Thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/secret_string.hpp"
#include "crypto/mac.hpp"
#include "domain/types.hpp"
#include "model/org_model.hpp"
#include "store/store.hpp"

namespace gh::api::session {

struct Options {
  std::chrono::milliseconds idle{std::chrono::minutes(15)};
  std::chrono::milliseconds absolute{std::chrono::hours(8)};
  std::uint32_t failures_per_account = 5;   // failed sign-ins per login per `failure_period`
  std::uint32_t failures_per_address = 20;  // failed sign-ins per client address per `failure_period`
  std::chrono::milliseconds failure_period{std::chrono::minutes(15)};
  // A session's last-seen time is written when the one stored is older than this: what another
  // node or a restarted one sees lags the truth by at most this (plus the tick's period).
  std::chrono::milliseconds seen_flush{std::chrono::minutes(1)};
  std::size_t max_changes = 1000;  // per org and housekeeping run: one small transaction
  // Live sessions one user may hold; a sign-in past it ends the user's oldest (sessions are
  // records of the org: without a cap, one account could fill the store).
  std::size_t max_per_user = 10;
};

struct Session {
  std::string org_id;
  std::string user_id;
  std::string csrf;  // the X-CSRF-Token value bound to this session (not a secret by itself)
  domain::Millis created = 0;
  domain::Millis last_seen = 0;
};

struct Started {
  core::SecretString id;  // the cookie value: 256 random bits, base64url
  Session session;
  store::Change record;  // the session's document: commit it to make the session exist
};

class SessionStore {
 public:
  SessionStore(const crypto::Pepper& pepper, core::Random& random, const core::Clock& clock, Options options);

  // A new session of `user_id`; it exists once `record` is committed to the org.
  Started start(std::string org_id, std::string user_id);
  // The live session of `org` whose cookie value is `id`, its idle clock reset unless
  // `background` (a poll the console makes by itself, e.g. the System Log's live tail, which
  // must not keep an unattended session alive); nullopt when unknown (another org's sessions
  // are not in this org's model), ended, or past either timeout. The caller holds org.mutex()
  // at least shared.
  std::optional<Session> touch(const model::OrgModel& org, std::string_view id, bool background = false);
  // The change that ends the session whose cookie value is `id` (sign-out, a new sign-in).
  store::Change end(std::string_view id) const;
  // The document id a cookie's id is kept under: base64url(MAC(id)).
  std::string key_of(std::string_view id) const;
  // The deletions of `user_id`'s oldest sessions that make room for one more under
  // `max_per_user` (`except`: the key of a session already being ended). Caller holds the org's
  // mutex, shared at least.
  store::ChangeSet make_room(const model::OrgModel& org, std::string_view user_id, std::string_view except) const;
  // The tick's work for one org (caller holds org.mutex() shared): delete the sessions past a
  // timeout or whose user is gone or no longer ACTIVE, and orphaned last-seen records; write
  // the last-seen times this node saw that the store does not know yet (older than seen_flush).
  store::ChangeSet housekeeping(const model::OrgModel& org);
  // The sessions this node keeps an idle clock for.
  std::size_t size() const;
  const Options& options() const { return options_; }

 private:
  bool expired(domain::Millis created, domain::Millis last_seen, domain::Millis now) const;

  const crypto::Pepper& pepper_;
  core::Random& random_;
  const core::Clock& clock_;
  const Options options_;
  mutable std::mutex mu_;
  // org id → (document id → last seen by this node); documents of sessions live in the model
  std::unordered_map<std::string, std::map<std::string, domain::Millis, std::less<>>> seen_;
};

// The session a console_session document records (nullopt when malformed); last_seen is the
// later of its creation and its stored last-seen child.
std::optional<Session> session_from(const model::OrgModel& org, const domain::Document& doc);

// Whether `given` (the X-CSRF-Token header) is the session's CSRF token; constant time.
bool csrf_matches(const Session& s, std::string_view given);

// The cookie of an org's console session. Over https: `__Host-` prefixed and `Secure` (RFC 6265bis
// §4.1.3.2: Secure, Path=/, no Domain); always HttpOnly, SameSite=Strict, Path=/. Named per org
// (orgs share the host), so signing in to one org does not sign out of another.
std::string cookie_name(bool https, std::string_view org_slug);
std::string set_cookie(bool https, std::string_view org_slug, std::string_view value, std::chrono::milliseconds max_age);
std::string clear_cookie(bool https, std::string_view org_slug);
// The value of cookie `name` in a Cookie header (RFC 6265 §5.4: "a=b; c=d"); "" when absent.
std::string_view cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace gh::api::session
