#include "server/app.hpp"

#include <boost/json/object.hpp>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <malloc.h>
#include <csignal>

#include <shared_mutex>

#include <climits>
#include <limits>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "api/common/renderer.hpp"
#include "api/authorization_servers/defaults.hpp"
#include "api/orgs/bootstrap.hpp"
#include "api/tokens/expiry.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/thread_priority.hpp"
#include "domain/log_event.hpp"
#include "crypto/password.hpp"
#include "http/server/server.hpp"
#include "model/commit.hpp"
#include "model/directory.hpp"
#include "net/https_client.hpp"
#include "oauth/client_auth/jwks_cache.hpp"
#include "oauth/endpoints.hpp"
#include "oauth/grants/client_credentials.hpp"
#include "oauth/revocation/prune.hpp"
#include "keys/signing_keys.hpp"
#include "server/change_feed.hpp"
#include "server/data_dir.hpp"
#include "server/shared_limits.hpp"
#include "server/single_use_journal.hpp"
#include "server/gateway.hpp"
#include "server/jwks_fetcher.hpp"
#include "server/log_format.hpp"
#include "server/metrics_sources.hpp"
#include "store/event_queue.hpp"
#include "store/event_retention.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/postgres/single_use_ledger.hpp"
#include "store/schema.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace gh::server {
namespace {
// The background jobs' clock (ServerOptions::tick): the System Log's queue is written each tick.
constexpr std::chrono::milliseconds kTick{100};
// How often the console sessions' housekeeping runs (api::session::SessionStore::housekeeping:
// it writes a session's last-seen at most once per Options::seen_flush).
constexpr unsigned kSessionHousekeepingSeconds = 15;
// The writer lane's nice value while it keeps up, set by the background tick (which runs on that
// lane): a request thread then preempts a batch of background writes at once, and a saturated
// core still gives the writer a quarter of its time, about 90,000 token events a second. When
// more events wait after a flush than kBacklog, it competes as an equal (nice 0) until the queue
// is short again, so that a saturated server does not drop events; raising a priority needs
// CAP_SYS_NICE or RLIMIT_NICE (setpriority(2)), without which it stays at kWriterNice.
constexpr int kWriterNice = 5;
constexpr std::size_t kBacklog = 10'000;
// DPoP proofs remembered for single use, per replay cache (RFC 9449 §11.1): past it, 429.
constexpr std::size_t kMaxDpopJtis = 500'000;

std::string org_url(const std::string& base_url, const domain::Org& org) {
  return org.slug.empty() ? base_url : base_url + "/o/" + org.slug;
}

// The store `url` names (empty: SQLite in the data directory; postgresql://…: PostgreSQL), its
// migrations applied. Throws std::runtime_error (never with the URL's password) and
// store::SchemaTooNew.
// `node_id` names this node in PostgreSQL's change notices (server/change_feed.hpp).
std::unique_ptr<store::Store> open_store(const DataDir& dir, const std::string& url, std::string node_id = {}) {
  if (url.empty()) {
    dir.secure_database();
    return store::open_sqlite_store(dir.db_path());
  }
  if (!store::is_postgres_url(url)) throw std::runtime_error("--store must be a postgresql:// URL");
  return store::open_postgres_store(url, std::move(node_id));
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}
}  // namespace

int run_init(const InitOptions& opts) {
  DataDir dir{opts.data_dir};
  if (dir.is_initialised()) {
    std::cerr << "gatehouse: " << opts.data_dir << " is already initialised; nothing changed\n";
    return 2;
  }
  std::unique_ptr<store::Store> store;
  try {
    if (!opts.store.empty()) {  // PostgreSQL: reachable and empty before the data dir is made
      store = open_store(dir, opts.store);
      auto orgs = store->list_orgs();
      if (!orgs) throw std::runtime_error("cannot list orgs: " + orgs.error().message());
      if (!orgs->empty()) {
        std::cerr << "gatehouse: the store already holds an org; nothing changed\n";
        return 2;
      }
    }
    dir.create_master_key();
    dir.write_store_kind(opts.store.empty() ? "sqlite" : "postgresql");
    if (!store) store = open_store(dir, opts.store);
  } catch (const store::SchemaTooNew& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return kExitSchemaTooNew;
  }
  core::SecureRandom random;
  crypto::Pepper pepper(derive_pepper(dir.read_master_key()));
  std::string password = opts.admin_password.value_or(core::random_base62(random, 24));
  boost::json::object profile{{"login", opts.admin_email}, {"email", opts.admin_email},
                              {"firstName", "Gatehouse"}, {"lastName", "Admin"}};
  auto now = core::epoch_ms(core::SystemClock{}.now());
  crypto::Sealer sealer(dir.read_master_key());
  auto b = api::bootstrap_org(random, pepper, sealer, now, "", "Gatehouse", std::move(profile),
                              crypto::hash_password(password), opts.api_tokens);
  if (b.error) {
    std::cerr << "gatehouse: cannot create the org's signing keys: " << b.error.message() << "\n";
    return 1;
  }
  domain::LogEvent created;  // account.org.add, by the CLI (issue #4)
  created.uuid = domain::new_event_uuid(random);
  created.published = now;
  created.event_type = "account.org.add";
  created.display_message = "Create org";
  created.actor = domain::system_actor();
  created.transaction_type = "JOB";
  created.target = {{b.org.id, "Org", b.org.slug, b.org.name, {}}};
  b.changes.push_back(store::AppendEvent{std::move(created)});
  if (auto r = store->create_org(b.org, b.changes); !r) {
    std::cerr << "gatehouse: cannot create the org: " << r.error().message() << "\n";
    return 1;
  }
  auto url = trim_slash(opts.base_url);
  if (opts.json) {
    boost::json::array tokens;
    for (auto& t : b.tokens) tokens.push_back(boost::json::string(t.reveal()));
    boost::json::object out{{"orgUrl", url}, {"orgId", b.org.id}, {"adminUserId", b.admin_id},
                            {"adminLogin", opts.admin_email}, {"apiTokens", std::move(tokens)}};
    if (!opts.admin_password) out["adminPassword"] = password;
    std::cout << boost::json::serialize(out) << std::endl;
  } else {
    std::cout << "Gatehouse initialised in " << opts.data_dir << "\n"
              << "  org URL:        " << url << "\n"
              << "  admin login:    " << opts.admin_email << "\n";
    if (!opts.admin_password) std::cout << "  admin password: " << password << "\n";
    for (auto& t : b.tokens) std::cout << "  API token:      " << t.reveal() << "\n";
    std::cout << "These secrets are shown once; store them now.\n";
  }
  return 0;
}

int run_serve(const std::string& data_dir, const config::Config& cfg) {
  DataDir dir{data_dir};
  if (!dir.is_initialised()) {
    std::cerr << "gatehouse: " << data_dir << " is not initialised; run 'gatehouse init' first\n";
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(cfg.log_level));
  if (cfg.log_format == "json") use_json_logs();
  // TLS (issue 19), refused before anything is opened. Served over TLS, the org URLs are https:
  // so the console's cookie is __Host- and Secure and the issuer names https (an explicit
  // http:// base_url with TLS on is a contradiction, refused).
  const bool tls = !cfg.tls.cert_file.empty();
  if (tls) {
    if (!cfg.base_url.empty() && !cfg.base_url.starts_with("https://"))
      throw std::runtime_error("base_url " + cfg.base_url + " must start with https:// when TLS is on");
    if (auto why = http::Server::check_tls(cfg.tls.cert_file, cfg.tls.key_file); !why.empty())
      throw std::runtime_error(why);
  }
  // A write past the file-size limit (RLIMIT_FSIZE) fails with EFBIG, which SQLite reports as an
  // I/O error (503, nothing written), instead of SIGXFSZ ending the server (issue 19).
  std::signal(SIGXFSZ, SIG_IGN);
  auto master = dir.read_master_key();  // first: refuses a key open to group or others
  // The data went where init put it: served with the other store, a node would come up empty.
  // (A store that is no postgresql:// URL at all is refused by open_store, below.)
  if (auto kind = dir.read_store_kind();
      kind && (cfg.store.empty() || store::is_postgres_url(cfg.store)) && (*kind == "postgresql") == cfg.store.empty()) {
    std::cerr << "gatehouse: " << data_dir << " was initialised with " << (*kind == "postgresql" ? "PostgreSQL" : "SQLite")
              << "; serve it with " << (*kind == "postgresql" ? "--store postgresql://… (or the config's store)" : "no --store")
              << "\n";
    return 2;
  }
  std::unique_ptr<store::Store> store;
  core::SecureRandom random;
  const auto node_id = core::random_base62(random, 16);  // this run of this node (issue 18)
  try {
    store = open_store(dir, cfg.store, node_id);
    if (!cfg.store.empty()) spdlog::info("store postgresql={}", store::redact_postgres_url(cfg.store));
  } catch (const store::SchemaTooNew& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return kExitSchemaTooNew;
  }
  crypto::Pepper pepper(derive_pepper(master));
  core::SystemClock clock;
  model::Directory directory;
  api::ApiRenderer renderer;

  http::ServerOptions so;
  auto colon = cfg.listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--listen must be HOST:PORT");
  so.host = cfg.listen.substr(0, colon);
  if (so.host.size() > 2 && so.host.front() == '[') so.host = so.host.substr(1, so.host.size() - 2);
  so.port = static_cast<unsigned short>(std::stoi(cfg.listen.substr(colon + 1)));
  so.threads = cfg.threads;
  so.header_limit = cfg.limits.header_bytes;
  so.max_header_fields = cfg.limits.header_fields;
  so.max_connections = cfg.limits.max_connections;
  so.max_connections_per_address = cfg.limits.max_connections_per_address;
  so.header_timeout = std::chrono::seconds(cfg.limits.header_timeout_seconds);
  so.body_timeout = std::chrono::seconds(cfg.limits.body_timeout_seconds);
  so.request_id_header = "X-Okta-Request-Id";
  so.tls_cert_file = cfg.tls.cert_file;
  so.tls_key_file = cfg.tls.key_file;
  // Queued System Log events are written every tick, in small batches, by a writer that a
  // request thread preempts (kWriterNice): a second's worth of token events written at once held
  // the request core for milliseconds, which the slowest requests at half load waited for
  // (bench/README.md, "Half-rate p99").
  so.tick = kTick;

  api::Limits limits;
  limits.max_json_depth = cfg.limits.json_depth;
  limits.api_token_idle = std::chrono::hours(24 * cfg.tokens.api_token_idle_days);
  auto& rl = cfg.rate_limits;
  limits.rate_limits_enabled = rl.enabled;
  limits.auth_failures_per_address_per_minute = rl.auth_failures_per_address_per_minute;
  limits.per_minute = {rl.users_per_minute, rl.groups_per_minute, rl.apps_per_minute, rl.logs_per_minute,
                       rl.other_per_minute};
  crypto::Sealer sealer(master);
  keys::KeyRing keyring(sealer);
  store::EventQueue events;  // System Log events written in batches (issue #4)
  api::Deps deps{*store, directory, clock, random, pepper, sealer, keyring, limits, "", {}, &events};
  deps.add_org = [&](store::OrgSnapshot snap) -> model::OrgModel& {
    auto url = org_url(deps.base_url, snap.org);
    return directory.add(std::make_unique<model::OrgModel>(std::move(snap), std::move(url), renderer));
  };
  deps.jwks_uri_http_hosts = cfg.jwks_uri.allow_http_hosts;
  // Clients' jwks_uri (issue #3): fetched on the server's outbound lane only (http::Service).
  net::HttpsClientOptions https_opts;
  https_opts.timeout = std::chrono::seconds(cfg.jwks_uri.timeout_seconds);
  https_opts.max_body_bytes = cfg.jwks_uri.max_bytes;
  https_opts.allow_http_hosts = cfg.jwks_uri.allow_http_hosts;
  net::HttpsClient https(std::move(https_opts));
  HttpsJwksFetcher jwks_fetcher(https);
  oauth::JwksCache jwks_cache(jwks_fetcher, clock);
  oauth::Env oauth_env{directory, *store, clock, random, pepper, keyring,
                       cfg.system_log.token_events ? &events : nullptr, &jwks_cache};
  oauth::Limits oauth_limits{rl.token_per_client_per_minute, rl.auth_failures_per_client_per_minute,
                             rl.auth_failures_per_address_per_minute,
                             rl.introspection_inactive_per_client_per_minute, rl.enabled};
  // The engines' shared parts, built here only: one verifier for the org and custom
  // authorization servers' tokens wherever they are presented (token introspection and
  // revocation, Bearer and DPoP at /api/v1), and the replay caches of single-use values.
  oauth::AccessTokenVerifier verifier(keyring, clock, std::chrono::seconds{0}, 10'000, &directory);
  oauth::ReplayCache assertion_jtis, token_dpop_jtis(kMaxDpopJtis), resource_dpop_jtis(kMaxDpopJtis);
  // Many nodes on one PostgreSQL (issue 18): single-use values are claimed in the shared ledger,
  // which is also their durable record (§11.33), and rate limits are shared (SharedLimits).
  std::unique_ptr<store::pg::PgSingleUseLedger> ledger;
  std::unique_ptr<store::pg::RateUsage> rate_usage;
  if (!cfg.store.empty()) {
    ledger = store::pg::open_single_use_ledger(cfg.store);
    rate_usage = store::pg::open_rate_usage(cfg.store);
    for (auto* cache : {&assertion_jtis, &token_dpop_jtis, &resource_dpop_jtis}) cache->share(*ledger);
  }
  // okta-compat.md §11.33: single use holds across a restart. Keys issued up to this second are
  // refused from now on; the few that could escape that rule were journalled, and come back.
  // The first serve of a data directory has no earlier run to guard against.
  const auto now_s = core::epoch_ms(clock.now()) / 1000;
  std::optional<SingleUseJournal> journal;
  if (!ledger) journal.emplace(dir.single_use_journal_path(), now_s);
  const auto started_at = journal && journal->existed() ? now_s : std::numeric_limits<std::int64_t>::min();
  for (auto [name, cache] : {std::pair{"assertion", &assertion_jtis}, std::pair{"dpop-token", &token_dpop_jtis},
                             std::pair{"dpop-resource", &resource_dpop_jtis}}) {
    if (!journal) break;
    cache->survive_restarts(name, *journal, started_at);
    journal->restore(name, *cache);
  }
  oauth::dpop::ResourceProofs resource_proofs(clock, resource_dpop_jtis);
  oauth::Endpoints oauth_endpoints(oauth_env, {verifier, assertion_jtis, token_dpop_jtis}, oauth_limits);
  oauth_endpoints.add_grant(std::make_unique<oauth::ClientCredentialsGrant>());  // RFC 6749 §4.4
  api::ManagementApi management(deps, verifier, resource_proofs);
  std::optional<SharedLimits> shared_limits;  // many nodes: limits hold across them (issue 18)
  if (rate_usage) {
    shared_limits.emplace(*rate_usage, ledger.get(), clock);
    auto& api_limits = management.rate_limiter();
    for (auto [name, f] : {std::pair{"api.users", api::Family::users}, std::pair{"api.groups", api::Family::groups},
                           std::pair{"api.apps", api::Family::apps}, std::pair{"api.logs", api::Family::logs},
                           std::pair{"api.other", api::Family::other}})
      shared_limits->share(name, api_limits.buckets(f));
    shared_limits->share("api.auth_failures", management.auth_failures());  // §11.31
    shared_limits->share("token.client", oauth_endpoints.token_endpoint().per_client_buckets());
    auto& failures = oauth_endpoints.client_auth().failure_throttle();  // §11.30
    shared_limits->share("oauth.failures.client", failures.per_client());
    shared_limits->share("oauth.failures.address", failures.per_address());
    shared_limits->share("oauth.introspection.inactive", oauth_endpoints.introspection().scan_limit());  // §11.32
  }
  // A configured base_url is known now, and the gateway strips its path from every request; the
  // default one names the bound port, which only bind() tells (and has no path).
  deps.base_url = trim_slash(cfg.base_url);
  Gateway gateway(deps, cfg.limits, management, oauth_endpoints);
  gateway.set_shared_single_use(ledger != nullptr);
  // The admin console (issue 17): sessions are documents of their org (durable, shared by every
  // node through the store and the change feed); its files read once from disk.
  api::session::Options session_opts;
  session_opts.idle = std::chrono::minutes(cfg.console.idle_timeout_minutes);
  session_opts.absolute = std::chrono::minutes(cfg.console.absolute_timeout_minutes);
  session_opts.failures_per_account = cfg.console.sign_in_failures_per_account;
  session_opts.failures_per_address = cfg.console.sign_in_failures_per_address;
  api::session::SessionStore sessions(pepper, random, clock, session_opts);
  deps.sessions = &sessions;
  api::session::Endpoint console_session(deps, sessions);
  std::error_code exe_ec;
  auto console_dir = !cfg.console.dir.empty()
                         ? cfg.console.dir
                         : console::find_console_dir(std::filesystem::read_symlink("/proc/self/exe", exe_ec).string());
  auto console_site = console::StaticSite::load(console_dir);
  if (console_site.empty())
    spdlog::warn("admin console: no built files found (dir=\"{}\"); ORG/admin/ answers 404", console_dir);
  else
    spdlog::info("admin console: {} files from {}", console_site.size(), console_dir);
  gateway.set_console(&console_session, &console_site);
  // Metrics (docs/deployment.md "Metrics"): only when enabled; read from loopback, or with the
  // configured bearer token.
  std::unique_ptr<Metrics> metrics;
  if (cfg.metrics.enabled) {
    metrics = std::make_unique<Metrics>();
    add_gauges(*metrics, {directory,
                          {{"assertion", &assertion_jtis}, {"dpop-token", &token_dpop_jtis},
                           {"dpop-resource", &resource_dpop_jtis}},
                          jwks_cache, events, sessions});
    gateway.set_metrics(metrics.get(), {true, read_metrics_token(cfg.metrics.token_file)});
  }
  CommitTiming commit_timing(metrics.get());
  // The lanes that may block: one writer thread (SQLite writes are serialised; the tick runs
  // there too) and the outbound lane, the only threads that wait on the network (jwks_uri).
  http::Lane writer(1), outbound(cfg.outbound_threads);
  http::Server server(so, gateway, writer, outbound);
  server.bind();
  const std::string scheme = tls ? "https://" : "http://";
  if (deps.base_url.empty()) deps.base_url = scheme + server.bound_address();
  // Many nodes on PostgreSQL (issue 18): other nodes' changes are heard from before the load.
  auto feed = listen_for_changes(cfg.store, node_id,
                                 {*store, directory, renderer, [&](const domain::Org& o) { return org_url(deps.base_url, o); }},
                                 writer, [&gateway](bool r) { gateway.set_ready(r); });

  auto started = std::chrono::steady_clock::now();
  auto orgs = store->list_orgs();
  if (!orgs) throw std::runtime_error("cannot list orgs: " + orgs.error().message());
  using Clock = std::chrono::steady_clock;
  // Store reads vs the read model's indexes (the log line). API tokens go straight from the rows
  // into the model's token table (issue #5), so reading includes filling that table.
  Clock::duration reading{}, building{};
  std::size_t defaults_added = 0;
  struct TokenLoader final : store::ApiTokenSink {
    model::TokenTable table;
    void reserve(std::size_t n) override { table.reserve(n); }
    void add(const domain::ApiToken& t) override { table.put(t); }
  };
  for (auto& o : *orgs) {
    auto t0 = Clock::now();
    TokenLoader tokens;
    auto snap = store->load_org(core::OrgId{o.id}, tokens);
    if (!snap) throw std::runtime_error("cannot load org " + o.id + ": " + snap.error().message());
    auto t1 = Clock::now();
    auto url = org_url(deps.base_url, snap->org);
    auto& org = directory.add(
        std::make_unique<model::OrgModel>(std::move(*snap), std::move(url), renderer, std::move(tokens.table)));
    auto t2 = Clock::now();
    reading += t1 - t0, building += t2 - t1;
    // Orgs created before issue #3 get their OAuth defaults (docs/oauth-documents.md) once: they
    // are committed, so a later start finds nothing missing (4 RSA keys an org otherwise).
    auto before = org.version();
    if (auto r = api::ensure_oauth_defaults(*store, org, random, sealer, core::epoch_ms(clock.now())); !r)
      throw std::runtime_error("cannot add the OAuth defaults of org " + o.id + ": " + r.error().message());
    if (org.version() != before) ++defaults_added;
  }
  // Issue 19: a master key that is not the one this data was sealed with refuses to start (it
  // would otherwise fail every signature and every credential lookup while looking healthy).
  if (auto* first = directory.by_slug(""); first) {
    std::shared_lock lk(first->mutex());
    if (!keys::signing_keys(*first, "", "ACTIVE").empty() && !keyring.active(*first, ""))
      throw std::runtime_error(dir.master_key_path() +
                               " is not the key this data was sealed with (the first org's signing key "
                               "cannot be opened); restore the master key that belongs to this data");
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  store->loaded();
  malloc_trim(0);  // give the loader's temporaries back to the OS
  auto as_ms = [](Clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  spdlog::info("loaded orgs={} ms={} read_ms={} build_ms={} oauth_defaults_added={}", orgs->size(), ms.count(),
               as_ms(reading), as_ms(building), defaults_added);
  if (shared_limits) shared_limits->start();
  gateway.set_ready(true);
  if (feed) feed->start();
  std::cout << "listening on " << scheme << server.bound_address() << std::endl;

  auto& uses = management.token_uses();
  auto flush_every = cfg.tokens.last_used_flush_seconds;
  constexpr unsigned kTicksPerSecond = std::chrono::seconds(1) / kTick;
  unsigned ticks = 0, seconds = 0;
  auto flush = [&] {
    auto batch = uses.take();
    if (batch.empty()) return;
    if (auto r = store->record_token_use(batch); !r) {
      spdlog::warn("lastUsed flush failed tokens={} error=\"{}\"", batch.size(), r.error().message());
      uses.put_back(std::move(batch));  // written at the next flush once the store writes again
    }
  };
  // System Log: queued events every tick (a crash loses at most the last tenth of a second of
  // them); once a minute, idle API tokens expire, revoked access tokens past their expiry are
  // forgotten and events past the retention window are pruned.
  store::EventRetention retention(*store, clock, std::chrono::hours(24 * cfg.system_log.retention_days));
  // A failed flush keeps the events queued (bounded) and is retried once a second, not every
  // tick, while the store cannot write (a full or failing disk: issue 19).
  unsigned flush_pause = 0;
  auto flush_events = [&] {
    if (flush_pause > 0 && --flush_pause > 0) return;
    auto queued = metrics ? events.size() : 0;
    auto t0 = std::chrono::steady_clock::now();
    auto r = events.flush(*store);
    if (queued) metrics->record_store(StoreOp::events, std::chrono::steady_clock::now() - t0, r.has_value());
    if (!r) {
      flush_pause = kTicksPerSecond;
      spdlog::warn("system log flush failed queued={} error=\"{}\"", events.size(), r.error().message());
    }
  };
  int writer_nice = INT_MIN;  // not set yet: the first tick sets it
  bool nice_refused = false;
  auto pace_writer = [&] {  // on the writer lane only
    int wanted = events.size() > kBacklog ? 0 : kWriterNice;
    if (wanted == writer_nice) return;
    if (core::set_this_thread_nice(wanted)) {
      writer_nice = wanted;
    } else if (!nice_refused) {
      nice_refused = true;
      spdlog::warn("cannot set the system log writer's nice value to {}", wanted);
    }
  };
  auto minutely = [&] {
    for (auto* org : directory.all())
      if (auto r = api::expire_idle_tokens(deps, *org); !r)
        spdlog::warn("api token expiry failed org={} error=\"{}\"", org->org().id, r.error().message());
    for (auto* org : directory.all())
      if (auto r = oauth::prune_revoked_tokens(*store, *org, clock); !r)
        spdlog::warn("revoked token pruning failed org={} error=\"{}\"", org->org().id, r.error().message());
    if (auto r = retention.prune_once(); !r)
      spdlog::warn("system log pruning failed error=\"{}\"", r.error().message());
  };
  // Console sessions: the idle clocks this node saw are written, and ended sessions deleted.
  auto session_housekeeping = [&] {
    for (auto* org : directory.all()) {
      store::ChangeSet changes;
      {
        std::shared_lock lk(org->mutex());
        changes = sessions.housekeeping(*org);
      }
      if (changes.empty()) continue;
      if (auto r = model::commit_and_apply(*store, *org, changes); !r)
        spdlog::warn("console session housekeeping failed org={} error=\"{}\"", org->org().id, r.error().message());
    }
  };
  server.run([&] {
    flush_events();
    pace_writer();
    if (++ticks % kTicksPerSecond != 0) return;
    ++seconds;
    if (seconds % flush_every == 0) flush();
    if (seconds % kSessionHousekeepingSeconds == 0) session_housekeeping();
    if (seconds % 60 == 0) minutely();
  });
  if (feed) feed->stop();
  flush();
  session_housekeeping();  // a restarted node sees the idle clocks this one kept
  flush_pause = 0;
  flush_events();
  spdlog::info("stopped");
  return 0;
}

int run_migrate(const std::string& data_dir, const std::string& store_url) {
  try {
    if (store_url.empty()) {
      DataDir dir{data_dir};
      if (!dir.is_initialised()) {
        std::cerr << "gatehouse: " << data_dir << " is not initialised; run 'gatehouse init' first\n";
        return 2;
      }
      open_store(dir, "");  // SQLite applies its migrations when opened
      std::cout << "migrated " << dir.db_path() << "\n";
      return 0;
    }
    if (!store::is_postgres_url(store_url)) throw std::runtime_error("--store must be a postgresql:// URL");
    int v = store::migrate_postgres(store_url);
    std::cout << "migrated " << store::redact_postgres_url(store_url) << " to schema version " << v << "\n";
    return 0;
  } catch (const store::SchemaTooNew& e) {
    std::cerr << "gatehouse: " << e.what() << "\n";
    return kExitSchemaTooNew;
  }
}

}  // namespace gh::server
