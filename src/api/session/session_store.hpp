#pragma once
// Sessions of the admin console (issue 17; DESIGN.md "admin console"): a browser that signed in
// at ORG/admin/ holds a random session id in a cookie; the server keeps only its MAC (Pepper,
// like every other secret), the user, the CSRF token bound to it, and two clocks: the idle
// timeout (reset by each authenticated request) and the absolute timeout (from sign-in).
// In memory only: a restart signs everyone out. Thread-safe.
#include <chrono>
#include <cstdint>
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

namespace gh::api::session {

struct Options {
  std::chrono::milliseconds idle{std::chrono::minutes(15)};
  std::chrono::milliseconds absolute{std::chrono::hours(8)};
  std::uint32_t failures_per_account = 5;   // failed sign-ins per login per `failure_period`
  std::uint32_t failures_per_address = 20;  // failed sign-ins per client address per `failure_period`
  std::chrono::milliseconds failure_period{std::chrono::minutes(15)};
  std::size_t max_sessions = 100'000;       // bound on memory; the oldest are dropped past it
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
};

class SessionStore {
 public:
  SessionStore(const crypto::Pepper& pepper, core::Random& random, const core::Clock& clock, Options options);

  Started start(std::string org_id, std::string user_id);
  // The live session of `org_id` whose cookie value is `id`, its idle clock reset unless
  // `background` (a poll the console makes by itself, e.g. the System Log's live tail, which
  // must not keep an unattended session alive); nullopt when unknown, of another org, or past
  // either timeout (an expired one is forgotten).
  std::optional<Session> touch(std::string_view org_id, std::string_view id, bool background = false);
  // Ends the session (sign-out); the session it was, if it was live.
  std::optional<Session> end(std::string_view org_id, std::string_view id);
  std::size_t size() const;
  const Options& options() const { return options_; }

 private:
  bool expired(const Session& s, domain::Millis now) const;
  void prune(domain::Millis now);  // caller holds mu_

  const crypto::Pepper& pepper_;
  core::Random& random_;
  const core::Clock& clock_;
  const Options options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Session> sessions_;  // key: mac_key(MAC of the id)
};

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
