#include "server/org_reload.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <utility>

#include "store/errc.hpp"

namespace gh::server {
namespace {
using SteadyClock = std::chrono::steady_clock;
using Ids = std::set<std::string, std::less<>>;

// Every kind of document (domain/documents.hpp), and any other the snapshot holds.
std::set<std::string, std::less<>> kinds_of(const store::OrgSnapshot& fresh) {
  namespace k = domain::kind;
  std::set<std::string, std::less<>> out;
  for (auto kind : {k::app, k::client_secret, k::app_key, k::scope_grant, k::auth_server, k::as_scope, k::as_claim,
                    k::as_policy, k::as_rule, k::signing_key, k::revoked_token, k::submission, k::integration_logo,
                    k::console_session, k::console_session_seen})
    out.emplace(kind);
  for (auto& d : fresh.documents) out.insert(d.kind);
  return out;
}

bool same_token(const model::TokenEntry& e, const domain::ApiToken& t) {
  return e.user_id() == t.user_id && e.name() == t.name && e.mac() == t.mac && e.hint() == t.hint &&
         e.created() == t.created && e.last_updated() == t.last_updated;
}

bool same_user(const domain::User& a, const domain::User& b) {
  return a.status == b.status && a.created == b.created && a.activated == b.activated &&
         a.status_changed == b.status_changed && a.last_login == b.last_login && a.last_updated == b.last_updated &&
         a.password_changed == b.password_changed && a.password_hash == b.password_hash && a.profile == b.profile;
}

bool same_group(const domain::Group& a, const domain::Group& b) {
  return a.type == b.type && a.created == b.created && a.last_updated == b.last_updated &&
         a.last_membership_updated == b.last_membership_updated && a.profile == b.profile;
}

bool same_role(const domain::RoleAssignment& a, const domain::RoleAssignment& b) {
  return a.principal_type == b.principal_type && a.principal_id == b.principal_id && a.type == b.type &&
         a.created == b.created && a.last_updated == b.last_updated;
}

long long ms_since(SteadyClock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - t0).count();
}
}  // namespace

store::ChangeSet changes_to(const model::OrgModel& live, const store::OrgSnapshot& fresh) {
  store::ChangeSet out;
  // What is gone. Users first: deleting one also drops its memberships, roles and tokens.
  Ids users, groups, roles, tokens;
  for (auto& u : fresh.users) users.insert(u.id);
  for (auto& g : fresh.groups) groups.insert(g.id);
  for (auto& r : fresh.roles) roles.insert(r.id);
  for (auto& t : fresh.api_tokens) tokens.insert(t.id);
  std::set<std::pair<std::string, std::string>, std::less<>> members(fresh.members.begin(), fresh.members.end());
  for (auto& [id, e] : live.users())
    if (!users.contains(id)) out.push_back(store::DeleteUser{id});
  for (auto& [id, g] : live.groups()) {
    if (!groups.contains(id)) {
      out.push_back(store::DeleteGroup{id});
      continue;
    }
    for (auto& m : g.members)
      if (!members.contains(std::pair{id, m})) out.push_back(store::RemoveMember{id, m});
  }
  for (auto& [id, r] : live.roles())
    if (!roles.contains(id)) out.push_back(store::DeleteRole{id});
  for (auto it = live.tokens().begin(); it != live.tokens().end(); ++it)
    if (!tokens.contains(it->first)) {
      auto t = it->second.token();
      t.revoked = true;  // the model's way of dropping a token (OrgModel::apply_one)
      out.push_back(store::PutApiToken{std::move(t)});
    }
  std::set<std::pair<std::string_view, std::string_view>> docs;
  for (auto& d : fresh.documents) docs.emplace(d.kind, d.id);
  Ids parents_gone;  // ids whose deletion takes the model's children of any kind along
  for (auto& kind : kinds_of(fresh))
    for (const auto& [id, d] : live.docs(kind))
      if (!docs.contains(std::pair<std::string_view, std::string_view>{kind, id})) {
        out.push_back(store::DeleteDocument{kind, std::string(id)});
        if (domain::deletes_children(kind)) parents_gone.emplace(id);
      }
  // What is new or differs (an org may hold a million tokens and users: what did not change is
  // not touched, so the exclusive lock is short). After the deletions, so that a child a
  // parent's deletion took along comes back.
  for (auto& u : fresh.users)
    if (auto* e = live.user(core::UserId{u.id}); !e || !same_user(e->user, u)) out.push_back(store::PutUser{u});
  for (auto& g : fresh.groups)
    if (auto* e = live.group(g.id); !e || !same_group(e->group, g)) out.push_back(store::PutGroup{g});
  for (auto& [g, u] : fresh.members)
    if (auto* e = live.group(g); !e || !e->members.contains(u)) out.push_back(store::AddMember{g, u});
  for (auto& r : fresh.roles)
    if (auto* e = live.role(r.id); !e || !same_role(*e, r)) out.push_back(store::PutRole{r});
  for (auto& t : fresh.api_tokens)
    if (auto* e = live.token(t.id); !e || !same_token(*e, t)) out.push_back(store::PutApiToken{t});
  for (auto& d : fresh.documents)
    if (auto* mine = live.doc(d.kind, d.id);
        !mine || mine->parent != d.parent || mine->body != d.body || parents_gone.contains(d.parent))
      out.push_back(store::PutDocument{d});
  return out;
}

gh::Result<void> reload_org(const ReloadParts& parts, const core::OrgId& id) {
  auto t0 = SteadyClock::now();
  auto snap = parts.store.load_org(id);
  if (!snap) return snap.error();
  auto* live = parts.directory.by_id(id);
  if (!live) {  // an org another node created
    auto url = parts.url_of(snap->org);
    parts.directory.add(std::make_unique<model::OrgModel>(std::move(*snap), std::move(url), parts.renderer));
    spdlog::info("change feed: added org={} ms={}", id.str(), ms_since(t0));
    return {};
  }
  store::ChangeSet changes;
  {
    std::shared_lock lk(live->mutex());  // readers go on while the difference is found
    changes = changes_to(*live, *snap);
  }
  if (changes.empty()) return {};  // this node had it already (its own change, or a repeat)
  {
    // Only the writer lane changes a model, and this is it: nothing changed since the lock
    // above was released.
    std::unique_lock lk(live->mutex());
    live->apply(changes);
  }
  spdlog::debug("change feed: reloaded org={} changes={} ms={}", id.str(), changes.size(), ms_since(t0));
  return {};
}

gh::Result<void> reload_all(const ReloadParts& parts) {
  auto t0 = SteadyClock::now();
  auto orgs = parts.store.list_orgs();
  if (!orgs) return orgs.error();
  for (auto& o : *orgs)
    if (auto r = reload_org(parts, core::OrgId{o.id}); !r && r.error() != store::Errc::not_found) return r;
  spdlog::info("change feed: reloaded every org orgs={} ms={}", orgs->size(), ms_since(t0));
  return {};
}

}  // namespace gh::server
