#include "api/session/session_store.hpp"

#include <openssl/crypto.h>

#include <array>

#include "core/base64.hpp"

namespace gh::api::session {
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

Started SessionStore::start(std::string org_id, std::string user_id) {
  auto now = core::epoch_ms(clock_.now());
  Started out{core::SecretString(random_b64(random_)), {}};
  out.session = Session{std::move(org_id), std::move(user_id), random_b64(random_), now, now};
  auto key = crypto::mac_key(pepper_.mac(out.id.reveal()));
  std::lock_guard lk(mu_);
  if (sessions_.size() >= options_.max_sessions) prune(now);
  if (sessions_.size() >= options_.max_sessions) {  // still full: drop the least recently seen
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
      if (it->second.last_seen < oldest->second.last_seen) oldest = it;
    sessions_.erase(oldest);
  }
  sessions_[key] = out.session;
  return out;
}

bool SessionStore::expired(const Session& s, domain::Millis now) const {
  return now - s.last_seen >= options_.idle.count() || now - s.created >= options_.absolute.count();
}

void SessionStore::prune(domain::Millis now) {
  std::erase_if(sessions_, [&](const auto& kv) { return expired(kv.second, now); });
}

std::optional<Session> SessionStore::touch(std::string_view org_id, std::string_view id, bool background) {
  if (id.empty() || id.size() > 128) return std::nullopt;
  auto key = crypto::mac_key(pepper_.mac(id));
  auto now = core::epoch_ms(clock_.now());
  std::lock_guard lk(mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end() || it->second.org_id != org_id) return std::nullopt;
  if (expired(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  if (!background) it->second.last_seen = now;
  return it->second;
}

std::optional<Session> SessionStore::end(std::string_view org_id, std::string_view id) {
  if (id.empty() || id.size() > 128) return std::nullopt;
  auto key = crypto::mac_key(pepper_.mac(id));
  auto now = core::epoch_ms(clock_.now());
  std::lock_guard lk(mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end() || it->second.org_id != org_id) return std::nullopt;
  auto s = std::move(it->second);
  sessions_.erase(it);
  if (expired(s, now)) return std::nullopt;
  return s;
}

std::size_t SessionStore::size() const {
  std::lock_guard lk(mu_);
  return sessions_.size();
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
