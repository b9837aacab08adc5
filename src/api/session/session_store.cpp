#include "api/session/session_store.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>

#include <boost/json/object.hpp>

#include "core/base64.hpp"

namespace gh::api::session {
namespace json = boost::json;
namespace {
std::string random_b64(core::Random& random) {
  std::array<std::uint8_t, 32> bytes{};  // 256 bits (≥ 128 required, OWASP session management)
  random.fill(bytes);
  return core::base64url_encode({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}
}  // namespace

SessionStore::SessionStore(const crypto::Pepper& pepper, core::Random& random, const core::Clock& clock,
                           Options options)
    : pepper_(pepper), random_(random), clock_(clock), options_(options) {}

std::string SessionStore::key_of(std::string_view id) const {
  auto mac = pepper_.mac(id);
  auto raw = crypto::mac_key(mac);
  return core::base64url_encode(raw);
}

Started SessionStore::start(std::string org_id, std::string user_id) {
  auto now = core::epoch_ms(clock_.now());
  Started out{core::SecretString(random_b64(random_)), {}, {}};
  out.session = Session{std::move(org_id), std::move(user_id), random_b64(random_), now, now};
  auto key = key_of(out.id.reveal());
  domain::Document doc{std::string(domain::kind::console_session), key, "",
                       json::object{{"userId", out.session.user_id},
                                    {"csrf", out.session.csrf},
                                    {"created", out.session.created}}};
  out.record = store::PutDocument{std::move(doc)};
  return out;
}

bool SessionStore::expired(domain::Millis created, domain::Millis last_seen, domain::Millis now) const {
  return now - last_seen >= options_.idle.count() || now - created >= options_.absolute.count();
}

std::optional<Session> session_from(const model::OrgModel& org, const domain::Document& doc) {
  auto* user = doc.body.if_contains("userId");
  auto* csrf = doc.body.if_contains("csrf");
  auto* created = doc.body.if_contains("created");
  if (!user || !user->is_string() || !csrf || !csrf->is_string() || !created || !created->is_int64())
    return std::nullopt;
  Session s{org.org().id, std::string(user->get_string()), std::string(csrf->get_string()), created->get_int64(),
            created->get_int64()};
  if (auto* seen = org.doc(domain::kind::console_session_seen, doc.id))
    if (auto* t = seen->body.if_contains("lastSeen"); t && t->is_int64()) s.last_seen = std::max(s.last_seen, t->get_int64());
  return s;
}

std::optional<Session> SessionStore::touch(const model::OrgModel& org, std::string_view id, bool background) {
  if (id.empty() || id.size() > 128) return std::nullopt;
  auto key = key_of(id);
  auto* doc = org.doc(domain::kind::console_session, key);
  if (!doc) return std::nullopt;  // never was, ended (here or on another node), or another org's
  auto s = session_from(org, *doc);
  if (!s) return std::nullopt;
  auto now = core::epoch_ms(clock_.now());
  std::lock_guard lk(mu_);
  auto& mine = seen_[org.org().id];
  auto it = mine.find(key);
  if (it != mine.end()) s->last_seen = std::max(s->last_seen, it->second);
  if (expired(s->created, s->last_seen, now)) return std::nullopt;  // deleted by housekeeping
  if (!background) {
    s->last_seen = now;
    mine[key] = now;
  }
  return s;
}

store::Change SessionStore::end(std::string_view id) const {
  return store::DeleteDocument{std::string(domain::kind::console_session), key_of(id)};  // its child too
}

store::ChangeSet SessionStore::make_room(const model::OrgModel& org, std::string_view user_id,
                                         std::string_view except) const {
  std::vector<std::pair<domain::Millis, std::string_view>> mine;  // (created, key)
  for (const auto& [id, doc] : org.docs(domain::kind::console_session)) {
    if (id == except) continue;
    auto* user = doc.body.if_contains("userId");
    auto* created = doc.body.if_contains("created");
    if (user && user->is_string() && user->get_string() == user_id)
      mine.emplace_back(created && created->is_int64() ? created->get_int64() : 0, id);
  }
  store::ChangeSet out;
  if (mine.size() < options_.max_per_user) return out;
  std::sort(mine.begin(), mine.end());
  for (std::size_t i = 0, n = mine.size() + 1 - options_.max_per_user; i < n; ++i)
    out.push_back(store::DeleteDocument{std::string(domain::kind::console_session), std::string(mine[i].second)});
  return out;
}

store::ChangeSet SessionStore::housekeeping(const model::OrgModel& org) {
  namespace k = domain::kind;
  auto now = core::epoch_ms(clock_.now());
  store::ChangeSet out;
  std::lock_guard lk(mu_);
  auto& mine = seen_[org.org().id];
  for (const auto& [id, doc] : org.docs(k::console_session)) {
    if (out.size() >= options_.max_changes) break;
    auto s = session_from(org, doc);
    auto* user = s ? org.user(core::UserId{s->user_id}) : nullptr;
    auto here = mine.find(id);
    auto stored = s ? s->last_seen : 0;
    if (s && here != mine.end()) s->last_seen = std::max(s->last_seen, here->second);
    // DESIGN.md: a credential's owner must be ACTIVE; a deactivated user's sessions end.
    if (!s || !user || user->user.status != domain::UserStatus::ACTIVE || expired(s->created, s->last_seen, now)) {
      out.push_back(store::DeleteDocument{std::string(k::console_session), std::string(id)});  // and its child
      if (here != mine.end()) mine.erase(here);
    } else if (s->last_seen - stored >= options_.seen_flush.count())
      out.push_back(store::PutDocument{{std::string(k::console_session_seen), std::string(id), std::string(id),
                                        json::object{{"lastSeen", s->last_seen}}}});
  }
  // A last-seen written by a node that had not yet heard of the session's end.
  for (const auto& [id, doc] : org.docs(k::console_session_seen))
    if (out.size() < options_.max_changes && !org.doc(k::console_session, doc.parent))
      out.push_back(store::DeleteDocument{std::string(k::console_session_seen), std::string(id)});
  // This node's idle clocks of sessions that are gone.
  std::erase_if(mine, [&](const auto& kv) { return !org.doc(k::console_session, kv.first); });
  return out;
}

std::size_t SessionStore::size() const {
  std::lock_guard lk(mu_);
  std::size_t n = 0;
  for (auto& [org, m] : seen_) n += m.size();
  return n;
}

bool csrf_matches(const Session& s, std::string_view given) {
  return !s.csrf.empty() && given.size() == s.csrf.size() &&
         CRYPTO_memcmp(given.data(), s.csrf.data(), given.size()) == 0;
}

std::string cookie_name(bool https, std::string_view org_slug) {
  std::string name = https ? "__Host-gh_console" : "gh_console";
  if (!org_slug.empty()) name += "_" + std::string(org_slug);
  return name;
}

std::string set_cookie(bool https, std::string_view org_slug, std::string_view value,
                       std::chrono::milliseconds max_age) {
  auto s = cookie_name(https, org_slug) + "=" + std::string(value) + "; Path=/; Max-Age=" +
           std::to_string(max_age.count() / 1000) + "; HttpOnly; SameSite=Strict";
  if (https) s += "; Secure";
  return s;
}

std::string clear_cookie(bool https, std::string_view org_slug) {
  return set_cookie(https, org_slug, "", std::chrono::milliseconds(0));
}

std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    auto pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      auto v = pair.substr(eq + 1);
      while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
      return v;
    }
  }
  return {};
}

}  // namespace gh::api::session
