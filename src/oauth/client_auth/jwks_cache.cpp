#include "oauth/client_auth/jwks_cache.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/errc.hpp"
#include "jose/errc.hpp"

namespace gh::oauth {
namespace {

// The host of `url` for log lines: never the path or query, which may carry a secret.
std::string_view host_of(std::string_view url) {
  auto sep = url.find("://");
  auto rest = sep == std::string_view::npos ? url : url.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  auto at = rest.rfind('@');
  return at == std::string_view::npos ? rest : rest.substr(at + 1);
}

// okta-compat.md §11.22: client keys are RSA or EC (no OKP), for signatures (RFC 7517 §4.2).
const jose::Jwk* usable_key(const jose::JwkSet& set, std::string_view kid) {
  auto* k = set.find(kid);
  if (!k || k->kty() == jose::KeyType::okp || k->is_private()) return nullptr;
  if (!k->use().empty() && k->use() != "sig") return nullptr;
  return k;
}

}  // namespace

JwksCache::JwksCache(JwksFetcher& fetcher, const core::Clock& clock, JwksCacheOptions opts)
    : fetcher_(fetcher), clock_(clock), opts_(opts) {}

std::string JwksCache::map_key(const JwksCacheKey& key) {
  return key.org_id + '\n' + key.client_id + '\n' + key.url;
}

JwksLookup JwksCache::decide(const Entry* e, std::string_view kid, core::SysTime now) const {
  using S = JwksLookup::Status;
  if (!e) return {S::fetch_needed, std::nullopt, {}};
  const jose::Jwk* k = e->keys ? usable_key(*e->keys, kid) : nullptr;
  bool fresh = e->keys && now < e->expires_at;
  if (fresh && k) return {S::found, *k, {}};
  if (e->flight) return {S::fetch_needed, std::nullopt, {}};  // join it: it may bring the kid
  bool may_fetch = !e->last_attempt || now - *e->last_attempt >= opts_.refresh_interval;
  if (may_fetch) return {S::fetch_needed, std::nullopt, {}};
  // A fetch ran within refresh_interval.
  if (fresh) return {S::kid_not_found, std::nullopt, jose::Errc::kid_not_found};
  if (k && now < e->expires_at + opts_.stale_if_error) return {S::found, *k, {}};
  if (e->keys) return {S::kid_not_found, std::nullopt, e->last_error};
  return {S::unavailable, std::nullopt, e->last_error};
}

JwksLookup JwksCache::lookup(const JwksCacheKey& key, std::string_view kid) {
  auto now = clock_.now();
  std::lock_guard lk(mu_);
  auto it = entries_.find(map_key(key));
  if (it == entries_.end()) return decide(nullptr, kid, now);
  it->second.last_used = now;
  return decide(&it->second, kid, now);
}

void JwksCache::refresh(const JwksCacheKey& key, std::string_view kid) {
  auto mk = map_key(key);
  std::unique_lock lk(mu_);
  auto it = entries_.find(mk);
  if (it == entries_.end()) {
    evict_if_full();
    it = entries_.emplace(mk, Entry{}).first;
  }
  auto now = clock_.now();
  it->second.last_used = now;
  if (auto flight = it->second.flight) {  // single flight: wait for the fetch under way
    ++flight->waiters;
    fetched_.wait(lk, [&] { return flight->done; });
    --flight->waiters;
    return;
  }
  if (decide(&it->second, kid, now).status != JwksLookup::Status::fetch_needed) return;
  auto flight = std::make_shared<Flight>();
  it->second.flight = flight;
  lk.unlock();
  gh::Result<FetchedJwks> r = boost::system::error_code(core::Errc::io_failed);
  try {
    r = fetcher_.fetch(key.url);
  } catch (const std::exception& e) {  // a bug in the fetcher must not strand the waiters
    spdlog::error("jwks_uri fetcher threw org={} client_id={} error=\"{}\"", key.org_id, key.client_id,
                  e.what());
  }
  auto done_at = clock_.now();
  lk.lock();
  // The entry cannot have been evicted: entries with a flight are never dropped.
  auto& e = entries_.at(mk);
  store_outcome(e, key, std::move(r), done_at);
  e.flight.reset();
  flight->done = true;
  fetched_.notify_all();
}

void JwksCache::store_outcome(Entry& e, const JwksCacheKey& key, gh::Result<FetchedJwks> r,
                              core::SysTime now) {
  e.last_attempt = now;
  if (!r) {
    e.last_error = r.error();
    spdlog::warn("jwks_uri fetch failed org={} client_id={} host={} error=\"{}\"", key.org_id,
                 key.client_id, host_of(key.url), r.error().message());
    return;
  }
  auto ttl = std::clamp(r->max_age.value_or(opts_.default_ttl), opts_.min_ttl, opts_.max_ttl);
  e.keys = std::make_shared<const jose::JwkSet>(std::move(r->keys));
  e.fetched_at = now;
  e.expires_at = now + ttl;
  e.last_error = {};
  spdlog::debug("jwks_uri fetched org={} client_id={} host={} keys={} ttl_s={}", key.org_id,
                key.client_id, host_of(key.url), e.keys->keys().size(), ttl.count());
}

void JwksCache::evict_if_full() {
  if (entries_.size() < opts_.max_entries) return;
  auto victim = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.flight) continue;
    if (victim == entries_.end() || it->second.last_used < victim->second.last_used) victim = it;
  }
  if (victim != entries_.end()) entries_.erase(victim);
}

std::size_t JwksCache::size() const {
  std::lock_guard lk(mu_);
  return entries_.size();
}

std::size_t JwksCache::waiting(const JwksCacheKey& key) const {
  std::lock_guard lk(mu_);
  auto it = entries_.find(map_key(key));
  return it != entries_.end() && it->second.flight ? it->second.flight->waiters : 0;
}

}  // namespace gh::oauth
