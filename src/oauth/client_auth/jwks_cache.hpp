#pragma once
// The JWK sets of clients that registered a jwks_uri (issue #3 "jwks_uri"; okta-compat.md §4.1,
// §11.22), cached per org, app and URL. lookup() never waits on the network; refresh() is the
// only call that fetches, and the server runs it on its outbound lane (docs/DESIGN: I/O threads
// and the writer never wait on the network).
//
// Rules (all times from the injected clock):
// - A fetched set is fresh for Cache-Control max-age clamped to [min_ttl, max_ttl], default_ttl
//   when the response grants none.
// - At most one fetch per entry per refresh_interval, whatever its outcome: an assertion naming
//   an unknown kid refreshes a fresh set at most once a minute, and a failing URL is retried at
//   most once a minute.
// - When a refresh of an expired set fails, the last good set stays usable for stale_if_error.
// - Concurrent refresh() calls for one entry share one fetch (single flight).
// - Fetch failures are values: logged (org, client_id, host, error; never the body or the path),
//   and the caller's client authentication fails like any other key failure.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "jose/jwk.hpp"
#include "oauth/client_auth/jwks_fetcher.hpp"

namespace gh::oauth {

struct JwksCacheOptions {
  std::chrono::seconds default_ttl{3600};
  std::chrono::seconds min_ttl{300};
  std::chrono::seconds max_ttl{86400};
  std::chrono::seconds refresh_interval{60};
  std::chrono::seconds stale_if_error{3600};
  std::size_t max_entries = 10000;  // beyond: the least recently used idle entry is dropped
};

struct JwksCacheKey {
  std::string org_id;
  std::string client_id;
  std::string url;
};

struct JwksLookup {
  enum class Status {
    found,          // `key` is the client's key with this kid
    kid_not_found,  // the set has no usable key with this kid, and no refresh is due
    unavailable,    // no set: the last fetch failed within refresh_interval (`cause` says why)
    fetch_needed,   // refresh() first (no entry, expired, unknown kid with a refresh due, or a
                    // fetch in flight)
  };
  Status status = Status::fetch_needed;
  std::optional<jose::Jwk> key;
  boost::system::error_code cause;
};

class JwksCache {
 public:
  JwksCache(JwksFetcher& fetcher, const core::Clock& clock, JwksCacheOptions opts = {});

  // The key `kid` of the cached set, usable for client assertions: public RSA or EC (§11.22),
  // `use` absent or "sig". Never waits on the network or on a fetch. Thread-safe.
  JwksLookup lookup(const JwksCacheKey& key, std::string_view kid);
  // When lookup(key, kid) would answer fetch_needed: fetches key.url (or waits for the fetch
  // already in flight for this entry) and stores the outcome. Otherwise returns at once. Blocks
  // for at most the fetcher's time limit. Thread-safe.
  void refresh(const JwksCacheKey& key, std::string_view kid);

  std::size_t size() const;
  // Callers waiting for the fetch in flight for `key` (tests of the single flight).
  std::size_t waiting(const JwksCacheKey& key) const;

 private:
  struct Flight {
    bool done = false;
    std::size_t waiters = 0;
  };
  struct Entry {
    std::shared_ptr<const jose::JwkSet> keys;  // last good set; null before the first success
    core::SysTime fetched_at{};
    core::SysTime expires_at{};
    std::optional<core::SysTime> last_attempt;
    boost::system::error_code last_error;
    std::shared_ptr<Flight> flight;  // set while a fetch runs
    core::SysTime last_used{};
  };

  static std::string map_key(const JwksCacheKey& key);
  JwksLookup decide(const Entry* e, std::string_view kid, core::SysTime now) const;
  void store_outcome(Entry& e, const JwksCacheKey& key, gh::Result<FetchedJwks> r, core::SysTime now);
  void evict_if_full();

  JwksFetcher& fetcher_;
  const core::Clock& clock_;
  JwksCacheOptions opts_;
  mutable std::mutex mu_;
  std::condition_variable fetched_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace gh::oauth
