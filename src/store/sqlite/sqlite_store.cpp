#include "store/sqlite/sqlite_store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

#include "store/errc.hpp"
#include "store/sqlite/db.hpp"
#include "store/event_record.hpp"
#include "store/schema.hpp"
#include "store/sqlite/event_log.hpp"

namespace gh::store {
extern const char* const kSqliteMigrations[];  // generated from migrations/*.sql
extern const int kSqliteMigrationCount;

namespace {
using namespace gh::domain;
using sqlite::Db;
using sqlite::Stmt;
using sqlite::Tx;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

boost::json::object parse_object(const std::string& s) {
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path) : db_(path) {
    // New databases: 16 KiB pages (the System Log's batches write half as many WAL frames and
    // syscalls per event as with 4 KiB; issue #4). An existing database keeps its page size.
    db_.exec("PRAGMA page_size=16384");
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=FULL");  // DESIGN.md Storage: acknowledged writes survive kill -9
    // Start-up reads every row once: map the file instead of a pread per page (until loaded()).
    db_.exec("PRAGMA mmap_size=1073741824");
    db_.exec("PRAGMA cache_size=-16384");
    db_.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    std::int64_t have = 0;
    {
      auto s = db_.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (s.step() == SQLITE_ROW) have = s.i64(0);
    }
    // Written by a newer Gatehouse: refused rather than served with rows this build misreads.
    if (have > kSqliteMigrationCount) throw SchemaTooNew(static_cast<long>(have), kSqliteMigrationCount);
    for (int v = static_cast<int>(have); v < kSqliteMigrationCount; ++v) {
      Tx tx(db_);
      if (!tx.began()) throw std::runtime_error("sqlite: cannot begin migration: " + db_.errmsg());
      db_.exec(kSqliteMigrations[v]);
      db_.prepare("INSERT INTO schema_version (version) VALUES (?)").bind(1, v + 1).step();
      if (!tx.commit()) throw std::runtime_error("sqlite: cannot commit migration: " + db_.errmsg());
    }
  }

  Result<std::vector<Org>> list_orgs() override {
    std::lock_guard lk(mu_);
    std::vector<Org> out;
    auto s = db_.prepare("SELECT id, slug, name, created FROM orgs ORDER BY created, id");
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.text(0), s.text(1), s.text(2), s.i64(3)});
    if (rc != SQLITE_DONE) return fail("list orgs");
    return out;
  }

  Result<OrgSnapshot> load_org(const core::OrgId& org_id, ApiTokenSink& tokens) override {
    std::lock_guard lk(mu_);
    OrgSnapshot snap;
    bool found = false;
    int rc = each_row("SELECT id, slug, name, created FROM orgs WHERE id = ?", org_id, [&](Stmt& s) {
      snap.org = {s.text(0), s.text(1), s.text(2), s.i64(3)};
      found = true;
    });
    if (rc != SQLITE_DONE) return fail("load org");
    if (!found) return Errc::not_found;
    // Counted first where rows are many: 1M tokens then fill one allocation instead of growing
    // through 20.
    snap.users.reserve(count("SELECT count(*) FROM users WHERE org_id = ?", org_id));
    rc = each_row(
        "SELECT id, status, created, activated, status_changed, last_login, last_updated, "
        "password_changed, profile, password_hash FROM users WHERE org_id = ?",
        org_id, [&](Stmt& s) {
          User& u = snap.users.emplace_back();
          u.id = s.text(0);
          u.status = user_status_from(s.text(1)).value_or(UserStatus::STAGED);
          u.created = s.i64(2), u.activated = s.i64(3), u.status_changed = s.i64(4);
          u.last_login = s.i64(5), u.last_updated = s.i64(6), u.password_changed = s.i64(7);
          u.profile = parse_object(s.text(8));
          u.password_hash = s.text(9);
        });
    if (rc == SQLITE_DONE)
      rc = each_row(
          "SELECT id, type, created, last_updated, last_membership_updated, profile FROM groups "
          "WHERE org_id = ?",
          org_id, [&](Stmt& s) {
            Group& g = snap.groups.emplace_back();
            g.id = s.text(0);
            g.type = s.text(1) == "BUILT_IN" ? GroupType::BUILT_IN : GroupType::OKTA_GROUP;
            g.created = s.i64(2), g.last_updated = s.i64(3), g.last_membership_updated = s.i64(4);
            g.profile = parse_object(s.text(5));
          });
    if (rc == SQLITE_DONE)
      rc = each_row("SELECT group_id, user_id FROM group_members WHERE org_id = ?", org_id,
                    [&](Stmt& s) { snap.members.emplace_back(s.text(0), s.text(1)); });
    if (rc == SQLITE_DONE)
      rc = each_row(
          "SELECT id, principal_type, principal_id, type, created, last_updated FROM "
          "role_assignments WHERE org_id = ?",
          org_id, [&](Stmt& s) {
            RoleAssignment& r = snap.roles.emplace_back();
            r.id = s.text(0);
            r.principal_type = s.text(1) == "CLIENT" ? PrincipalType::CLIENT : PrincipalType::USER;
            r.principal_id = s.text(2), r.type = s.text(3);
            r.created = s.i64(4), r.last_updated = s.i64(5);
          });
    if (rc != SQLITE_DONE) return fail("load org");
    tokens.reserve(count("SELECT count(*) FROM api_tokens WHERE org_id = ? AND revoked = 0", org_id));
    // In id order (the table is clustered by (org_id, id), migration 0004). One ApiToken is
    // reused for every row: its strings keep their buffers, so a row costs no allocation.
    ApiToken t;
    bool corrupt = false;
    rc = each_row(
        "SELECT id, user_id, name, mac, hint, created, last_updated, last_used FROM api_tokens "
        "WHERE org_id = ? AND revoked = 0",
        org_id, [&](Stmt& s) {
          auto mac = s.blob_view(3);
          if (corrupt || mac.size() != t.mac.size()) return void(corrupt = true);
          s.text_into(0, t.id), s.text_into(1, t.user_id), s.text_into(2, t.name);
          std::copy(mac.begin(), mac.end(), t.mac.begin());
          s.text_into(4, t.hint);
          t.created = s.i64(5), t.last_updated = s.i64(6), t.last_used = s.i64(7);
          tokens.add(t);
        });
    if (corrupt) return Errc::corrupt;
    if (rc != SQLITE_DONE) return fail("load org");
    // Bodies stay text: the read model parses one when it is first read (issue #5).
    snap.stored_documents.reserve(count("SELECT count(*) FROM documents WHERE org_id = ?", org_id));
    rc = each_row("SELECT kind, id, parent_id, body FROM documents WHERE org_id = ?", org_id, [&](Stmt& s) {
      snap.stored_documents.push_back(
          {s.text(0), core::SmallString(s.text_view(1)), core::SmallString(s.text_view(2)), s.text(3)});
    });
    if (rc != SQLITE_DONE) return fail("load org");
    return snap;
  }

  void loaded() override {
    // The mapped pages of the whole file would otherwise stay in the process's RSS (with 1M
    // tokens, about 300 MB); later reads are small and go through the page cache.
    std::lock_guard lk(mu_);
    db_.exec_ok("PRAGMA mmap_size=0");
  }

  Result<void> create_org(const Org& org, const ChangeSet& changes) override {
    std::lock_guard lk(mu_);
    Tx tx(db_);
    if (!tx.began()) return fail("begin");
    auto s = db_.prepare("INSERT INTO orgs (id, slug, name, created) VALUES (?, ?, ?, ?)");
    s.bind(1, org.id).bind(2, org.slug).bind(3, org.name).bind(4, org.created);
    int rc = s.step();
    if (rc != SQLITE_DONE) {
      if (rc == SQLITE_CONSTRAINT) return Errc::conflict;
      return fail("insert org");
    }
    return finish(tx, org.id, changes);
  }

  Result<void> commit(const core::OrgId& org_id, const ChangeSet& changes) override {
    std::lock_guard lk(mu_);
    Tx tx(db_);
    if (!tx.began()) return fail("begin");
    return finish(tx, org_id.str(), changes);
  }

  Result<void> record_token_use(const std::vector<TokenUse>& uses) override {
    std::lock_guard lk(mu_);
    Tx tx(db_);
    if (!tx.began()) return fail("begin");
    for (auto& u : uses) {
      auto s = db_.prepare(
          "UPDATE api_tokens SET last_used = MAX(last_used, ?) WHERE org_id = ? AND id = ?");
      s.bind(1, u.last_used).bind(2, u.org_id.str()).bind(3, u.token_id);
      if (s.step() != SQLITE_DONE) return fail("token use");
    }
    if (!tx.commit()) return fail("commit");
    return {};
  }

  Result<void> append_events(const EventBatch& events) override {
    if (events.empty()) return {};
    std::lock_guard lk(mu_);
    Tx tx(db_);
    if (!tx.began()) return fail("begin");
    if (sqlite::insert_events(db_, events) != SQLITE_DONE) return fail("append events");
    if (!tx.commit()) return fail("commit");
    return {};
  }

  Result<std::vector<EventRow>> query_events(const core::OrgId& org_id, const EventQuery& q) override {
    std::lock_guard lk(mu_);
    std::vector<EventRow> out;
    if (!sqlite::select_events(db_, org_id.str(), q, out)) return fail("query events");
    return out;
  }

  Result<std::size_t> prune_events(domain::Millis cutoff, std::size_t max_rows) override {
    std::lock_guard lk(mu_);
    auto n = sqlite::delete_events_before(db_, cutoff, max_rows);
    if (n < 0) return fail("prune events");
    return static_cast<std::size_t>(n);
  }

 private:
  // `rc` is the failed call's result code when the caller has it (a statement's step), else the
  // connection's last one. A disk that is full or failing (SQLITE_FULL, SQLITE_IOERR_*), or a
  // database that cannot be written now (SQLITE_READONLY, SQLITE_BUSY past the busy timeout), is
  // Errc::unavailable: the API answers 503 E0000010 and the client may retry once the fault
  // clears; the transaction was rolled back (Tx), so nothing of it was written (issue 19).
  boost::system::error_code fail(const char* what, int rc = -1) {
    if (rc < 0) rc = sqlite3_extended_errcode(db_.handle());
    spdlog::error("store op={} sqlite=\"{}\" code={}", what, sqlite3_errstr(rc), rc);
    switch (rc & 0xff) {
      case SQLITE_FULL:
      case SQLITE_IOERR:
      case SQLITE_READONLY:
      case SQLITE_BUSY: return Errc::unavailable;
      default: return Errc::io_failed;
    }
  }

  // Steps `sql`, its one parameter bound to `org_id`, calling `row(stmt)` for each row. Returns
  // the last sqlite3_step code: SQLITE_DONE once every row was read.
  template <class Row>
  int each_row(const char* sql, const core::OrgId& org_id, Row&& row) {
    auto s = db_.prepare(sql);
    s.bind(1, org_id.str());
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) row(s);
    return rc;
  }
  // The count(*) `sql` returns for `org_id` (0 if it fails: it only sizes a reservation).
  std::size_t count(const char* sql, const core::OrgId& org_id) {
    std::size_t n = 0;
    each_row(sql, org_id, [&](Stmt& s) { n = static_cast<std::size_t>(s.i64(0)); });
    return n;
  }

  // Applies the changes inside `tx`, then commits it; `tx` rolls back on any other way out.
  Result<void> finish(Tx& tx, const std::string& org_id, const ChangeSet& changes) {
    for (auto& c : changes) {
      int rc = std::visit([&](auto& ch) { return apply(org_id, ch); }, c);
      if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT) return Errc::conflict;
        return fail("commit", rc);
      }
    }
    if (!tx.commit()) return fail("commit");
    return {};
  }

  int apply(const std::string& org, const PutUser& c) {
    auto& u = c.user;
    auto s = db_.prepare(
        "INSERT INTO users (org_id, id, status, created, activated, status_changed, "
        "last_login, last_updated, password_changed, login_lower, profile, password_hash) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, id) DO UPDATE SET "
        "status = excluded.status, activated = excluded.activated, status_changed = "
        "excluded.status_changed, last_login = excluded.last_login, last_updated = "
        "excluded.last_updated, password_changed = excluded.password_changed, login_lower = "
        "excluded.login_lower, profile = excluded.profile, password_hash = excluded.password_hash");
    s.bind(1, org).bind(2, u.id).bind(3, to_string(u.status)).bind(4, u.created);
    s.bind(5, u.activated).bind(6, u.status_changed).bind(7, u.last_login).bind(8, u.last_updated);
    s.bind(9, u.password_changed).bind(10, lower(u.login()));
    s.bind(11, boost::json::serialize(u.profile)).bind(12, u.password_hash);
    return s.step();
  }
  int apply(const std::string& org, const DeleteUser& c) {
    for (auto sql : {"DELETE FROM group_members WHERE org_id = ? AND user_id = ?",
                     "DELETE FROM role_assignments WHERE org_id = ? AND principal_id = ?",
                     "UPDATE api_tokens SET revoked = 1 WHERE org_id = ? AND user_id = ?",
                     "DELETE FROM users WHERE org_id = ? AND id = ?"}) {
      auto s = db_.prepare(sql);
      s.bind(1, org).bind(2, c.id);
      if (int rc = s.step(); rc != SQLITE_DONE) return rc;
    }
    return SQLITE_DONE;
  }
  int apply(const std::string& org, const PutGroup& c) {
    auto& g = c.group;
    auto s = db_.prepare(
        "INSERT INTO groups (org_id, id, type, created, last_updated, "
        "last_membership_updated, name_lower, profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (org_id, id) DO UPDATE SET last_updated = excluded.last_updated, "
        "last_membership_updated = excluded.last_membership_updated, name_lower = "
        "excluded.name_lower, profile = excluded.profile");
    s.bind(1, org).bind(2, g.id).bind(3, to_string(g.type)).bind(4, g.created);
    s.bind(5, g.last_updated).bind(6, g.last_membership_updated).bind(7, lower(g.name()));
    s.bind(8, boost::json::serialize(g.profile));
    return s.step();
  }
  int apply(const std::string& org, const DeleteGroup& c) {
    for (auto sql : {"DELETE FROM group_members WHERE org_id = ? AND group_id = ?",
                     "DELETE FROM groups WHERE org_id = ? AND id = ?"}) {
      auto s = db_.prepare(sql);
      s.bind(1, org).bind(2, c.id);
      if (int rc = s.step(); rc != SQLITE_DONE) return rc;
    }
    return SQLITE_DONE;
  }
  int apply(const std::string& org, const AddMember& c) {
    auto s = db_.prepare(
        "INSERT OR IGNORE INTO group_members (org_id, group_id, user_id) VALUES (?, ?, ?)");
    s.bind(1, org).bind(2, c.group_id).bind(3, c.user_id);
    return s.step();
  }
  int apply(const std::string& org, const RemoveMember& c) {
    auto s = db_.prepare("DELETE FROM group_members WHERE org_id = ? AND group_id = ? AND user_id = ?");
    s.bind(1, org).bind(2, c.group_id).bind(3, c.user_id);
    return s.step();
  }
  int apply(const std::string& org, const PutRole& c) {
    auto& r = c.role;
    auto s = db_.prepare(
        "INSERT INTO role_assignments (org_id, id, principal_type, principal_id, type, "
        "created, last_updated) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, id) DO UPDATE "
        "SET type = excluded.type, last_updated = excluded.last_updated");
    s.bind(1, org).bind(2, r.id).bind(3, to_string(r.principal_type)).bind(4, r.principal_id);
    s.bind(5, r.type).bind(6, r.created).bind(7, r.last_updated);
    return s.step();
  }
  int apply(const std::string& org, const DeleteRole& c) {
    auto s = db_.prepare("DELETE FROM role_assignments WHERE org_id = ? AND id = ?");
    s.bind(1, org).bind(2, c.id);
    return s.step();
  }
  int apply(const std::string& org, const PutApiToken& c) {
    auto& t = c.token;
    auto s = db_.prepare(
        "INSERT INTO api_tokens (org_id, id, user_id, name, mac, hint, created, "
        "last_updated, last_used, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (org_id, id) DO UPDATE SET name = excluded.name, last_updated = "
        "excluded.last_updated, last_used = MAX(last_used, excluded.last_used), revoked = "
        "excluded.revoked");
    s.bind(1, org).bind(2, t.id).bind(3, t.user_id).bind(4, t.name);
    s.bind_blob(5, t.mac.data(), static_cast<int>(t.mac.size())).bind(6, t.hint);
    s.bind(7, t.created).bind(8, t.last_updated).bind(9, t.last_used).bind(10, t.revoked ? 1 : 0);
    return s.step();
  }

  int apply(const std::string& org, const PutDocument& c) {
    auto& d = c.doc;
    auto s = db_.prepare(
        "INSERT INTO documents (org_id, kind, id, parent_id, body) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (org_id, kind, id) DO UPDATE SET parent_id = excluded.parent_id, body = "
        "excluded.body");
    s.bind(1, org).bind(2, d.kind).bind(3, d.id).bind(4, d.parent).bind(5, boost::json::serialize(d.body));
    return s.step();
  }
  int apply(const std::string& org, const AppendEvent& c) {
    auto& e = c.event;
    std::string record;
    encode_event_record(e, record);
    return sqlite::insert_event(db_, {org, e.uuid, e.event_type, record, e.published});
  }
  int apply(const std::string& org, const DeleteDocument& c) {
    // Children go with their parent (an app's secrets, keys and grants; an AS's scopes, claims,
    // policies and keys). Grandchildren (rules of policies) are deleted by the caller.
    if (!domain::deletes_children(c.kind)) return delete_self(org, c);
    auto children = db_.prepare("DELETE FROM documents WHERE org_id = ? AND parent_id = ?");
    children.bind(1, org).bind(2, c.id);
    if (int rc = children.step(); rc != SQLITE_DONE) return rc;
    return delete_self(org, c);
  }
  int delete_self(const std::string& org, const DeleteDocument& c) {
    auto self = db_.prepare("DELETE FROM documents WHERE org_id = ? AND kind = ? AND id = ?");
    self.bind(1, org).bind(2, c.kind).bind(3, c.id);
    return self.step();
  }

  std::mutex mu_;
  Db db_;
};
}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
  return std::make_unique<SqliteStore>(path);
}

}  // namespace gh::store
