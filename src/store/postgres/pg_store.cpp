#include "store/postgres/pg_store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

#include "store/errc.hpp"
#include "store/event_record.hpp"
#include "store/postgres/change_listener.hpp"
#include "store/postgres/conn.hpp"
#include "store/postgres/event_log.hpp"
#include "store/schema.hpp"

namespace gh::store {
extern const char* const kPgMigrations[];  // generated from migrations/*.sql
extern const int kPgMigrationCount;

namespace {
using namespace gh::domain;
using pg::Conn;
using pg::Params;
using pg::Row;
using pg::Tx;
using pg::pq;

// Serialises migrations of one database across nodes (pg_advisory_xact_lock's key: "gh18").
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(6768493)";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

boost::json::object parse_object(std::string_view s) {
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

// Applies the migrations `c` lacks in one transaction; returns the schema version.
int migrate(Conn& c) {
  auto fail = [&](const char* what) {
    return std::runtime_error(std::string("postgresql: cannot ") + what + ": " + c.error());
  };
  Tx tx(c);
  if (tx.began() != Errc::ok) throw fail("begin the migration");
  if (c.exec(kMigrationLock) != Errc::ok) throw fail("lock the schema");
  if (c.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)") != Errc::ok)
    throw fail("create schema_version");
  pg::ResultPtr r;
  if (c.run("SELECT COALESCE(MAX(version), 0) FROM schema_version", Params(), &r) != Errc::ok)
    throw fail("read the schema version");
  auto have = Row(r.get(), 0).i64(0);
  if (have > kPgMigrationCount) throw SchemaTooNew(static_cast<long>(have), kPgMigrationCount);
  for (auto v = have; v < kPgMigrationCount; ++v) {
    if (c.exec(kPgMigrations[v]) != Errc::ok) throw fail("apply a migration");
    if (c.run("INSERT INTO schema_version (version) VALUES ($1)", Params().i64(v + 1)) != Errc::ok)
      throw fail("record the schema version");
  }
  if (tx.commit() != Errc::ok) throw fail("commit the migration");
  if (have < kPgMigrationCount) spdlog::debug("store migrated from={} to={}", have, kPgMigrationCount);
  return kPgMigrationCount;
}

class PgStore final : public Store {
 public:
  PgStore(const std::string& url, std::string node_id) : node_id_(node_id.empty() ? "cli" : std::move(node_id)), c_(url) {
    migrate(c_);
  }

  Result<std::vector<Org>> list_orgs() override {
    std::lock_guard lk(mu_);
    if (!c_.ensure()) return fail("list orgs", Errc::unavailable);
    std::vector<Org> out;
    Errc e = reading([&] {
      out.clear();
      return c_.each_row("SELECT id, slug, name, created FROM orgs ORDER BY created, id", Params(),
                         [&](const Row& r) { out.push_back({r.str(0), r.str(1), r.str(2), r.i64(3)}); });
    });
    if (e != Errc::ok) return fail("list orgs", e);
    return out;
  }

  Result<OrgSnapshot> load_org(const core::OrgId& org_id, ApiTokenSink& tokens) override {
    std::lock_guard lk(mu_);
    if (!c_.ensure()) return fail("load org", Errc::unavailable);
    // One snapshot of the org: every SELECT of the load sees the same committed state.
    Tx tx(c_);
    if (tx.began() != Errc::ok || c_.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY") != Errc::ok)
      return fail("load org", tx.began() != Errc::ok ? tx.began() : Errc::io_failed);
    Params org(Params().text(org_id.str()));
    OrgSnapshot snap;
    bool found = false;
    Errc e = c_.each_row("SELECT id, slug, name, created FROM orgs WHERE id = $1", org, [&](const Row& r) {
      snap.org = {r.str(0), r.str(1), r.str(2), r.i64(3)};
      found = true;
    });
    if (e != Errc::ok) return fail("load org", e);
    if (!found) return Errc::not_found;
    snap.users.reserve(count("SELECT count(*) FROM users WHERE org_id = $1", org));
    e = c_.each_row(
        "SELECT id, status, created, activated, status_changed, last_login, last_updated, "
        "password_changed, profile, password_hash FROM users WHERE org_id = $1",
        org, [&](const Row& r) {
          User& u = snap.users.emplace_back();
          u.id = r.str(0);
          u.status = user_status_from(r.str(1)).value_or(UserStatus::STAGED);
          u.created = r.i64(2), u.activated = r.i64(3), u.status_changed = r.i64(4);
          u.last_login = r.i64(5), u.last_updated = r.i64(6), u.password_changed = r.i64(7);
          u.profile = parse_object(r.text(8));
          u.password_hash = r.str(9);
        });
    if (e == Errc::ok)
      e = c_.each_row(
          "SELECT id, type, created, last_updated, last_membership_updated, profile FROM groups "
          "WHERE org_id = $1",
          org, [&](const Row& r) {
            Group& g = snap.groups.emplace_back();
            g.id = r.str(0);
            g.type = r.text(1) == "BUILT_IN" ? GroupType::BUILT_IN : GroupType::OKTA_GROUP;
            g.created = r.i64(2), g.last_updated = r.i64(3), g.last_membership_updated = r.i64(4);
            g.profile = parse_object(r.text(5));
          });
    if (e == Errc::ok)
      e = c_.each_row("SELECT group_id, user_id FROM group_members WHERE org_id = $1", org,
                      [&](const Row& r) { snap.members.emplace_back(r.str(0), r.str(1)); });
    if (e == Errc::ok)
      e = c_.each_row(
          "SELECT id, principal_type, principal_id, type, created, last_updated FROM "
          "role_assignments WHERE org_id = $1",
          org, [&](const Row& r) {
            RoleAssignment& a = snap.roles.emplace_back();
            a.id = r.str(0);
            a.principal_type = r.text(1) == "CLIENT" ? PrincipalType::CLIENT : PrincipalType::USER;
            a.principal_id = r.str(2), a.type = r.str(3);
            a.created = r.i64(4), a.last_updated = r.i64(5);
          });
    if (e != Errc::ok) return fail("load org", e);
    tokens.reserve(count("SELECT count(*) FROM api_tokens WHERE org_id = $1 AND revoked = 0", org));
    // In id order, like SQLite's clustered table: the model's token table is filled in order.
    ApiToken t;
    std::string mac;
    bool corrupt = false;
    e = c_.each_row(
        "SELECT id, user_id, name, mac, hint, created, last_updated, last_used FROM api_tokens "
        "WHERE org_id = $1 AND revoked = 0 ORDER BY id",
        org, [&](const Row& r) {
          if (corrupt || !r.bytes(3, mac) || mac.size() != t.mac.size()) return void(corrupt = true);
          t.id = r.text(0), t.user_id = r.text(1), t.name = r.text(2);
          std::copy(mac.begin(), mac.end(), t.mac.begin());
          t.hint = r.text(4);
          t.created = r.i64(5), t.last_updated = r.i64(6), t.last_used = r.i64(7);
          tokens.add(t);
        });
    if (corrupt) return Errc::corrupt;
    if (e != Errc::ok) return fail("load org", e);
    snap.stored_documents.reserve(count("SELECT count(*) FROM documents WHERE org_id = $1", org));
    e = c_.each_row("SELECT kind, id, parent_id, body FROM documents WHERE org_id = $1", org, [&](const Row& r) {
      snap.stored_documents.push_back(
          {r.str(0), core::SmallString(r.text(1)), core::SmallString(r.text(2)), r.str(3)});
    });
    if (e != Errc::ok) return fail("load org", e);
    return snap;
  }

  Result<void> create_org(const Org& org, const ChangeSet& changes) override {
    std::lock_guard lk(mu_);
    if (!c_.ensure()) return fail("begin", Errc::unavailable);
    Tx tx(c_);
    if (tx.began() != Errc::ok) return fail("begin", tx.began());
    if (Errc e = lock_if_events(changes); e != Errc::ok) return fail("begin", e);
    Errc e = c_.run("INSERT INTO orgs (id, slug, name, created) VALUES ($1, $2, $3, $4)",
                    Params().text(org.id).text(org.slug).text(org.name).i64(org.created));
    if (e == Errc::conflict) return Errc::conflict;
    if (e != Errc::ok) return fail("insert org", e);
    return finish(tx, org.id, changes);
  }

  Result<void> commit(const core::OrgId& org_id, const ChangeSet& changes) override {
    std::lock_guard lk(mu_);
    if (!c_.ensure()) return fail("begin", Errc::unavailable);
    Tx tx(c_);
    if (tx.began() != Errc::ok) return fail("begin", tx.began());
    if (Errc e = lock_if_events(changes); e != Errc::ok) return fail("begin", e);
    return finish(tx, org_id.str(), changes);
  }

  Result<void> record_token_use(const std::vector<TokenUse>& uses) override {
    std::lock_guard lk(mu_);
    if (!c_.ensure()) return fail("token use", Errc::unavailable);
    Tx tx(c_);
    if (tx.began() != Errc::ok) return fail("begin", tx.began());
    for (auto& u : uses) {
      Errc e = c_.run("UPDATE api_tokens SET last_used = GREATEST(last_used, $1) WHERE org_id = $2 AND id = $3",
                      Params().i64(u.last_used).text(u.org_id.str()).text(u.token_id));
      if (e != Errc::ok) return fail("token use", e);
    }
    if (Errc e = tx.commit(); e != Errc::ok) return fail("commit", e);
    return {};
  }

  Result<void> append_events(const EventBatch& events) override {
    if (events.empty()) return {};
    std::lock_guard lk(mu_);
    if (!c_.ensure()) return fail("append events", Errc::unavailable);
    Tx tx(c_);
    if (tx.began() != Errc::ok) return fail("begin", tx.began());
    if (Errc e = pg::lock_for_event_inserts(c_); e != Errc::ok) return fail("append events", e);
    if (Errc e = pg::insert_events(c_, events); e != Errc::ok) return fail("append events", e);
    if (Errc e = tx.commit(); e != Errc::ok) return fail("commit", e);
    return {};
  }

  Result<std::vector<EventRow>> query_events(const core::OrgId& org_id, const EventQuery& q) override {
    std::lock_guard lk(mu_);
    if (!c_.ensure()) return fail("query events", Errc::unavailable);
    std::vector<EventRow> out;
    Errc e = reading([&] {
      out.clear();
      if (q.order != EventOrder::persisted_asc) return pg::select_events(c_, org_id.str(), q, out);
      // A polling read: only once the inserts in flight have ended (event_log.hpp).
      Tx tx(c_);
      if (tx.began() != Errc::ok) return tx.began();
      bool settled = false;
      if (Errc e = pg::settle_event_inserts(c_, settled); e != Errc::ok || !settled) return e;
      if (Errc e = pg::select_events(c_, org_id.str(), q, out); e != Errc::ok) return e;
      return tx.commit();
    });
    if (e != Errc::ok) return fail("query events", e);
    return out;
  }

  Result<std::size_t> prune_events(domain::Millis cutoff, std::size_t max_rows) override {
    std::lock_guard lk(mu_);
    if (!c_.ensure()) return fail("prune events", Errc::unavailable);
    std::size_t n = 0;
    if (Errc e = pg::delete_events_before(c_, cutoff, max_rows, n); e != Errc::ok) return fail("prune events", e);
    return n;
  }

 private:
  boost::system::error_code fail(const char* what, Errc e) {
    spdlog::error("store op={} postgresql=\"{}\"", what, c_.error());
    return e == Errc::ok ? Errc::io_failed : e;
  }

  // Runs the read `f` (it writes nothing): once more on a connection found lost, reconnected.
  template <class F>
  Errc reading(F&& f) {
    Errc e = f();
    if (e == Errc::unavailable && c_.ensure()) e = f();
    return e;
  }

  // The count(*) `sql` returns (0 if it fails: it only sizes a reservation).
  std::size_t count(const char* sql, const Params& p) {
    pg::ResultPtr r;
    if (c_.run(sql, p, &r) != Errc::ok || pq().PQntuples(r.get()) != 1) return 0;
    return static_cast<std::size_t>(Row(r.get(), 0).i64(0));
  }

  // A change set that appends events takes the events lock first, before any row lock
  // (event_log.hpp: it keeps the seq order the commit order across nodes).
  Errc lock_if_events(const ChangeSet& changes) {
    for (auto& c : changes)
      if (std::holds_alternative<AppendEvent>(c)) return pg::lock_for_event_inserts(c_);
    return Errc::ok;
  }

  // Applies the changes inside `tx`, then commits it; `tx` rolls back on any other way out.
  // Other nodes hear of it (change_listener.hpp): NOTIFY is part of the transaction, delivered
  // after the commit and only if it commits.
  Result<void> finish(Tx& tx, const std::string& org_id, const ChangeSet& changes) {
    for (auto& c : changes) {
      Errc e = std::visit([&](auto& ch) { return apply(org_id, ch); }, c);
      if (e == Errc::conflict) return Errc::conflict;
      if (e != Errc::ok) return fail("commit", e);
    }
    if (Errc e = c_.run("SELECT pg_notify($1, $2)", Params().text(kChangeChannel).text(change_payload(org_id, node_id_)));
        e != Errc::ok)
      return fail("notify", e);
    if (Errc e = tx.commit(); e != Errc::ok) return e == Errc::conflict ? Errc::conflict : fail("commit", e);
    return {};
  }

  Errc apply(const std::string& org, const PutUser& c) {
    auto& u = c.user;
    return c_.run(
        "INSERT INTO users (org_id, id, status, created, activated, status_changed, "
        "last_login, last_updated, password_changed, login_lower, profile, password_hash) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (org_id, id) DO UPDATE SET "
        "status = excluded.status, activated = excluded.activated, status_changed = "
        "excluded.status_changed, last_login = excluded.last_login, last_updated = "
        "excluded.last_updated, password_changed = excluded.password_changed, login_lower = "
        "excluded.login_lower, profile = excluded.profile, password_hash = excluded.password_hash",
        Params().text(org).text(u.id).text(to_string(u.status)).i64(u.created).i64(u.activated)
            .i64(u.status_changed).i64(u.last_login).i64(u.last_updated).i64(u.password_changed)
            .text(lower(u.login())).text(boost::json::serialize(u.profile)).text(u.password_hash));
  }
  Errc apply(const std::string& org, const DeleteUser& c) {
    for (auto sql : {"DELETE FROM group_members WHERE org_id = $1 AND user_id = $2",
                     "DELETE FROM role_assignments WHERE org_id = $1 AND principal_id = $2",
                     "UPDATE api_tokens SET revoked = 1 WHERE org_id = $1 AND user_id = $2",
                     "DELETE FROM users WHERE org_id = $1 AND id = $2"})
      if (Errc e = c_.run(sql, Params().text(org).text(c.id)); e != Errc::ok) return e;
    return Errc::ok;
  }
  Errc apply(const std::string& org, const PutGroup& c) {
    auto& g = c.group;
    return c_.run(
        "INSERT INTO groups (org_id, id, type, created, last_updated, "
        "last_membership_updated, name_lower, profile) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (org_id, id) DO UPDATE SET last_updated = excluded.last_updated, "
        "last_membership_updated = excluded.last_membership_updated, name_lower = "
        "excluded.name_lower, profile = excluded.profile",
        Params().text(org).text(g.id).text(to_string(g.type)).i64(g.created).i64(g.last_updated)
            .i64(g.last_membership_updated).text(lower(g.name())).text(boost::json::serialize(g.profile)));
  }
  Errc apply(const std::string& org, const DeleteGroup& c) {
    for (auto sql : {"DELETE FROM group_members WHERE org_id = $1 AND group_id = $2",
                     "DELETE FROM groups WHERE org_id = $1 AND id = $2"})
      if (Errc e = c_.run(sql, Params().text(org).text(c.id)); e != Errc::ok) return e;
    return Errc::ok;
  }
  Errc apply(const std::string& org, const AddMember& c) {
    return c_.run("INSERT INTO group_members (org_id, group_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                  Params().text(org).text(c.group_id).text(c.user_id));
  }
  Errc apply(const std::string& org, const RemoveMember& c) {
    return c_.run("DELETE FROM group_members WHERE org_id = $1 AND group_id = $2 AND user_id = $3",
                  Params().text(org).text(c.group_id).text(c.user_id));
  }
  Errc apply(const std::string& org, const PutRole& c) {
    auto& r = c.role;
    return c_.run(
        "INSERT INTO role_assignments (org_id, id, principal_type, principal_id, type, "
        "created, last_updated) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, id) DO UPDATE "
        "SET type = excluded.type, last_updated = excluded.last_updated",
        Params().text(org).text(r.id).text(to_string(r.principal_type)).text(r.principal_id).text(r.type)
            .i64(r.created).i64(r.last_updated));
  }
  Errc apply(const std::string& org, const DeleteRole& c) {
    return c_.run("DELETE FROM role_assignments WHERE org_id = $1 AND id = $2", Params().text(org).text(c.id));
  }
  Errc apply(const std::string& org, const PutApiToken& c) {
    auto& t = c.token;
    return c_.run(
        "INSERT INTO api_tokens (org_id, id, user_id, name, mac, hint, created, "
        "last_updated, last_used, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "ON CONFLICT (org_id, id) DO UPDATE SET name = excluded.name, last_updated = "
        "excluded.last_updated, last_used = GREATEST(api_tokens.last_used, excluded.last_used), revoked = "
        "excluded.revoked",
        Params().text(org).text(t.id).text(t.user_id).text(t.name).bytes(t.mac.data(), t.mac.size())
            .text(t.hint).i64(t.created).i64(t.last_updated).i64(t.last_used).i64(t.revoked ? 1 : 0));
  }
  Errc apply(const std::string& org, const PutDocument& c) {
    auto& d = c.doc;
    return c_.run(
        "INSERT INTO documents (org_id, kind, id, parent_id, body) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (org_id, kind, id) DO UPDATE SET parent_id = excluded.parent_id, body = excluded.body",
        Params().text(org).text(d.kind).text(d.id).text(d.parent).text(boost::json::serialize(d.body)));
  }
  Errc apply(const std::string& org, const AppendEvent& c) {
    auto& e = c.event;
    std::string record;
    encode_event_record(e, record);
    return pg::insert_event(c_, {org, e.uuid, e.event_type, record, e.published});
  }
  Errc apply(const std::string& org, const DeleteDocument& c) {
    // Children go with their parent, as in SQLite (grandchildren are deleted by the caller).
    if (domain::deletes_children(c.kind))
      if (Errc e = c_.run("DELETE FROM documents WHERE org_id = $1 AND parent_id = $2", Params().text(org).text(c.id));
          e != Errc::ok)
        return e;
    return c_.run("DELETE FROM documents WHERE org_id = $1 AND kind = $2 AND id = $3",
                  Params().text(org).text(c.kind).text(c.id));
  }

  const std::string node_id_;  // names this node in its notifications
  std::mutex mu_;
  Conn c_;
};
}  // namespace

bool is_postgres_url(const std::string& store) {
  return store.starts_with("postgresql://") || store.starts_with("postgres://");
}

std::unique_ptr<Store> open_postgres_store(const std::string& url, std::string node_id) {
  return std::make_unique<PgStore>(url, std::move(node_id));
}

std::string redact_postgres_url(const std::string& url) { return Conn::redact(url); }

int migrate_postgres(const std::string& url) {
  Conn c(url);
  return migrate(c);
}

}  // namespace gh::store
