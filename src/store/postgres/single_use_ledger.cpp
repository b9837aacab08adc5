#include "store/postgres/single_use_ledger.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "store/postgres/conn.hpp"

namespace gh::store::pg {
namespace {

// A lost connection is reopened at most once a second: while PostgreSQL is down, a claim is
// refused at once instead of each one waiting for connect_timeout.
constexpr std::chrono::seconds kReconnectPause{1};

// One connection of its own, reopened on loss (paced), under a mutex.
class Guarded {
 public:
  explicit Guarded(const std::string& url) : c_(url) {}

  // f(Conn&) → Errc, run once more after a reconnect when the connection was found lost.
  template <class F>
  Errc with(F&& f) {
    std::lock_guard lk(mu_);
    if (!reachable()) return Errc::unavailable;
    Errc e = f(c_);
    if (e == Errc::unavailable && reachable()) e = f(c_);
    if (e != Errc::ok) spdlog::warn("postgresql shared state: {}", c_.error());
    return e;
  }

 private:
  bool reachable() {
    auto now = std::chrono::steady_clock::now();
    if (now < paused_until_) return false;
    if (c_.ensure()) return true;
    paused_until_ = now + kReconnectPause;
    return false;
  }

  std::mutex mu_;
  Conn c_;
  std::chrono::steady_clock::time_point paused_until_{};
};

// RFC 7523 §3 item 7, RFC 9449 §11.1: the first insert of a key wins; a row whose value expired
// (not yet pruned) is taken over, like the in-memory cache does. The row count says which.
constexpr const char* kClaim =
    "INSERT INTO single_use (id, expires_at) VALUES (sha256($1::bytea), $2::bigint) "
    "ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at "
    "WHERE single_use.expires_at < $3::bigint";
constexpr const char* kPruneSingleUse = "DELETE FROM single_use WHERE expires_at < $1::bigint";

class Ledger final : public PgSingleUseLedger {
 public:
  explicit Ledger(const std::string& url) : db_(url) {}

  gh::Result<bool> claim(std::string_view key, std::int64_t expires_at, std::int64_t now) override {
    bool fresh = false;
    Params p;
    p.bytes(key.data(), key.size()).i64(expires_at).i64(now);
    Errc e = db_.with([&](Conn& c) {
      ResultPtr r;
      Errc run = c.run(kClaim, p, &r);
      if (run == Errc::ok) fresh = Conn::changed(r) == 1;
      return run;
    });
    if (e != Errc::ok) return gh::Result<bool>(boost::system::in_place_error, make_error_code(e));
    return fresh;
  }

  gh::Result<std::int64_t> prune(std::int64_t now) override {
    std::int64_t n = 0;
    Params p;
    p.i64(now);
    Errc e = db_.with([&](Conn& c) {
      ResultPtr r;
      Errc run = c.run(kPruneSingleUse, p, &r);
      if (run == Errc::ok) n = Conn::changed(r);
      return run;
    });
    if (e != Errc::ok) return make_error_code(e);
    return n;
  }

 private:
  Guarded db_;
};

// okta-compat.md §11.30 across nodes: each node adds what it used; the totals come back.
constexpr const char* kAddUsage =
    "INSERT INTO rate_usage (key, window_start, used) "
    "SELECT k, $1::bigint, u FROM unnest($2::text[], $3::bigint[]) AS t(k, u) "
    "ON CONFLICT (key, window_start) DO UPDATE SET used = rate_usage.used + EXCLUDED.used "
    "RETURNING key, used";
constexpr const char* kPruneUsage = "DELETE FROM rate_usage WHERE window_start < $1::bigint";

// A PostgreSQL array literal of text elements, each quoted (no value is spliced into SQL: the
// literal is a bound parameter).
std::string text_array(const std::vector<std::pair<std::string, std::int64_t>>& usage) {
  std::string out = "{";
  for (auto& [k, _] : usage) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char ch : k) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

std::string int_array(const std::vector<std::pair<std::string, std::int64_t>>& usage) {
  std::string out = "{";
  for (auto& [_, n] : usage) {
    if (out.size() > 1) out += ',';
    out += std::to_string(n);
  }
  return out + "}";
}

class Usage final : public RateUsage {
 public:
  explicit Usage(const std::string& url) : db_(url) {}

  gh::Result<std::vector<std::pair<std::string, std::int64_t>>> add(
      std::int64_t window, std::vector<std::pair<std::string, std::int64_t>> usage) override {
    std::vector<std::pair<std::string, std::int64_t>> totals;
    if (usage.empty()) return totals;
    // Rows locked in one order by every node: concurrent additions cannot deadlock.
    std::sort(usage.begin(), usage.end());
    Params p;
    p.i64(window).text(text_array(usage)).text(int_array(usage));
    Errc e = db_.with([&](Conn& c) {
      totals.clear();
      ResultPtr r;
      Errc run = c.run(kAddUsage, p, &r);
      if (run != Errc::ok) return run;
      for (int i = 0, n = pq().PQntuples(r.get()); i < n; ++i) {
        Row row(r.get(), i);
        totals.emplace_back(row.str(0), row.i64(1));
      }
      return run;
    });
    if (e != Errc::ok) return make_error_code(e);
    return totals;
  }

  gh::Result<void> prune(std::int64_t window) override {
    Params p;
    p.i64(window);
    Errc e = db_.with([&](Conn& c) { return c.run(kPruneUsage, p); });
    if (e != Errc::ok) return make_error_code(e);
    return {};
  }

 private:
  Guarded db_;
};

}  // namespace

std::unique_ptr<PgSingleUseLedger> open_single_use_ledger(const std::string& url) {
  return std::make_unique<Ledger>(url);
}

std::unique_ptr<RateUsage> open_rate_usage(const std::string& url) { return std::make_unique<Usage>(url); }

}  // namespace gh::store::pg
