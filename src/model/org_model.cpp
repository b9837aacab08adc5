#include "model/org_model.hpp"

#include <algorithm>

namespace gh::model {
using namespace gh::domain;

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

OrgModel::OrgModel(store::OrgSnapshot snap, std::string url, const Renderer& renderer, TokenTable tokens)
    : org_(std::move(snap.org)), id_(org_.id), url_(std::move(url)), renderer_(renderer), tokens_(std::move(tokens)) {
  // Users, groups and tokens move straight in; the rest goes through apply().
  login_index_.reserve(snap.users.size());
  for (auto& u : snap.users) put_user(std::move(u), true);
  snap.users = {};
  for (auto& g : snap.groups) put_group(std::move(g));
  store::ChangeSet load;
  load.reserve(snap.members.size() + snap.roles.size());
  for (auto& [g, u] : snap.members) load.push_back(store::AddMember{g, u});
  for (auto& r : snap.roles) load.push_back(store::PutRole{std::move(r)});
  apply(load);
  for (auto& d : snap.documents) doc_kind(d.kind).put(std::move(d));  // moved: a body is not copied
  snap.documents = {};
  for (auto& d : snap.stored_documents)  // parsed when first read
    doc_kind(d.kind).put_stored(std::move(d.id), std::move(d.parent), std::move(d.body));
  snap.stored_documents = {};
  tokens_.reserve(snap.api_tokens.size());
  // Directly, no ChangeSet copies; the store returns them in id order, so each lands at the end.
  for (auto& t : snap.api_tokens) tokens_.put(t);
  snap.api_tokens = {};
}

const UserEntry* OrgModel::user(const core::UserId& id) const { return find_user(id.view()); }

const UserEntry* OrgModel::find_user(std::string_view id) const {
  auto it = users_.find(id);
  return it == users_.end() ? nullptr : &it->second;
}

const UserEntry* OrgModel::user_by_login(std::string_view login) const {
  auto it = login_index_.find(ascii_lower(login));
  return it == login_index_.end() ? nullptr : find_user(it->second);
}

const GroupEntry* OrgModel::group(std::string_view id) const {
  auto it = groups_.find(id);
  return it == groups_.end() ? nullptr : &it->second;
}

const GroupEntry* OrgModel::group_by_name(std::string_view name) const {
  auto it = group_name_index_.find(ascii_lower(name));
  return it == group_name_index_.end() ? nullptr : group(it->second);
}

const GroupEntry* OrgModel::everyone() const { return group(everyone_id_); }

bool OrgModel::is_member(const GroupEntry& g, std::string_view user_id) const {
  if (g.group.id == everyone_id_) return users_.contains(user_id);
  return g.members.contains(user_id);
}

std::vector<const GroupEntry*> OrgModel::groups_of(const core::UserId& user_id) const {
  std::vector<const GroupEntry*> out;
  if (!users_.contains(user_id.view())) return out;
  if (auto* e = everyone()) out.push_back(e);
  if (auto it = user_groups_.find(user_id.str()); it != user_groups_.end())
    for (auto& gid : it->second)
      if (auto* g = group(gid)) out.push_back(g);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->group.id < b->group.id; });
  return out;
}

std::vector<const RoleAssignment*> OrgModel::roles_of(PrincipalType t, std::string_view id) const {
  std::vector<const RoleAssignment*> out;
  auto it = roles_by_principal_.find(std::string(id));
  if (it == roles_by_principal_.end()) return out;
  for (auto& rid : it->second)
    if (auto* r = role(rid); r && r->principal_type == t) out.push_back(r);
  return out;
}

const RoleAssignment* OrgModel::role(std::string_view id) const {
  auto it = roles_.find(id);
  return it == roles_.end() ? nullptr : &it->second;
}

const TokenEntry* OrgModel::token_by_mac(const crypto::Mac& mac) const { return tokens_.find_by_mac(mac); }

const TokenEntry* OrgModel::token(std::string_view id) const { return tokens_.find(id); }

std::vector<const TokenEntry*> OrgModel::tokens_of(const core::UserId& user_id) const {
  return find_tokens_of(user_id.view());
}

std::vector<const TokenEntry*> OrgModel::find_tokens_of(std::string_view user_id) const {
  std::vector<const TokenEntry*> out;  // a scan: only lifecycle writes ask
  for (const auto& [_, t] : tokens_)
    if (t.user_id() == user_id) out.push_back(&t);
  return out;
}

const domain::Document* OrgModel::doc(std::string_view kind, std::string_view id) const {
  auto k = docs_.find(kind);
  return k == docs_.end() ? nullptr : k->second.find(id);
}

std::vector<const domain::Document*> OrgModel::children(std::string_view kind, std::string_view parent) const {
  auto k = docs_.find(kind);
  return k == docs_.end() ? std::vector<const domain::Document*>{} : k->second.children(parent);
}

const ParsedDoc* OrgModel::client(const core::ClientId& client_id) const {
  auto k = docs_.find(domain::kind::app);
  return k == docs_.end() ? nullptr : k->second.find_parsed(client_id.view());
}

std::vector<const ParsedDoc*> OrgModel::children_parsed(std::string_view kind, std::string_view parent) const {
  auto k = docs_.find(kind);
  return k == docs_.end() ? std::vector<const ParsedDoc*>{} : k->second.children_parsed(parent);
}

const DocMap& OrgModel::docs(std::string_view kind) const {
  static const DocMap empty{""};
  auto k = docs_.find(kind);
  return k == docs_.end() ? empty : k->second;
}

DocMap& OrgModel::doc_kind(std::string_view kind) {
  auto k = docs_.find(kind);
  if (k == docs_.end()) k = docs_.try_emplace(std::string(kind), std::string(kind)).first;
  return k->second;
}

void OrgModel::put_user(User u, bool loading) {
  // The store reads users in id order: loading appends at the end in O(1).
  auto& e = (loading ? users_.try_emplace(users_.end(), u.id) : users_.try_emplace(u.id).first)->second;
  if (!e.user.id.empty()) login_index_.erase(ascii_lower(e.user.login()));
  e.user = std::move(u);
  delete e.json_.exchange(nullptr, std::memory_order_acq_rel);  // the exclusive lock is held
  login_index_[ascii_lower(e.user.login())] = e.user.id;
}

const std::string& OrgModel::user_json(const UserEntry& e) const {
  if (auto* j = e.json_.load(std::memory_order_acquire)) return *j;
  // Readers racing here under the shared lock each render; one publishes, the others use it.
  auto fresh = std::make_unique<const std::string>(renderer_.render_user(url_, e.user));
  const std::string* expected = nullptr;
  if (e.json_.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel)) return *fresh.release();
  return *expected;
}

void OrgModel::put_group(Group g) {
  auto& e = groups_[g.id];
  if (!e.group.id.empty()) group_name_index_.erase(ascii_lower(e.group.name()));
  e.group = std::move(g);
  e.json = renderer_.render_group(url_, e.group);
  group_name_index_[ascii_lower(e.group.name())] = e.group.id;
  if (e.group.type == GroupType::BUILT_IN && e.group.name() == "Everyone") everyone_id_ = e.group.id;
}

void OrgModel::apply(const store::ChangeSet& changes) {
  // One counter for every model of the process: a version names one state of one org, so a
  // cache may key on it alone (a model made later at the same address never repeats one).
  static std::atomic<std::uint64_t> versions{0};
  for (auto& c : changes) apply_one(c);
  version_.store(versions.fetch_add(1, std::memory_order_relaxed) + 1, std::memory_order_release);
  if (on_apply_) on_apply_(*this, changes);
}

void OrgModel::apply_one(const store::Change& change) {
  std::visit(
      [&](auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, store::PutUser>) {
          put_user(c.user);
        } else if constexpr (std::is_same_v<T, store::DeleteUser>) {
          auto it = users_.find(c.id);
          if (it == users_.end()) return;
          login_index_.erase(ascii_lower(it->second.user.login()));
          if (auto ug = user_groups_.find(c.id); ug != user_groups_.end()) {
            for (auto& gid : ug->second)
              if (auto g = groups_.find(gid); g != groups_.end()) g->second.members.erase(c.id);
            user_groups_.erase(ug);
          }
          if (auto rp = roles_by_principal_.find(c.id); rp != roles_by_principal_.end()) {
            for (auto& rid : rp->second) roles_.erase(rid);
            roles_by_principal_.erase(rp);
          }
          for (auto* t : find_tokens_of(c.id)) tokens_.erase(std::string(t->id()));
          users_.erase(it);
        } else if constexpr (std::is_same_v<T, store::PutGroup>) {
          put_group(c.group);
        } else if constexpr (std::is_same_v<T, store::DeleteGroup>) {
          auto it = groups_.find(c.id);
          if (it == groups_.end()) return;
          for (auto& uid : it->second.members) user_groups_[uid].erase(c.id);
          group_name_index_.erase(ascii_lower(it->second.group.name()));
          groups_.erase(it);
        } else if constexpr (std::is_same_v<T, store::AddMember>) {
          if (auto g = groups_.find(c.group_id); g != groups_.end()) {
            g->second.members.insert(c.user_id);
            user_groups_[c.user_id].insert(c.group_id);
          }
        } else if constexpr (std::is_same_v<T, store::RemoveMember>) {
          if (auto g = groups_.find(c.group_id); g != groups_.end()) g->second.members.erase(c.user_id);
          if (auto ug = user_groups_.find(c.user_id); ug != user_groups_.end()) ug->second.erase(c.group_id);
        } else if constexpr (std::is_same_v<T, store::PutRole>) {
          roles_[c.role.id] = c.role;
          roles_by_principal_[c.role.principal_id].insert(c.role.id);
        } else if constexpr (std::is_same_v<T, store::DeleteRole>) {
          auto it = roles_.find(c.id);
          if (it == roles_.end()) return;
          if (auto rp = roles_by_principal_.find(it->second.principal_id); rp != roles_by_principal_.end())
            rp->second.erase(c.id);
          roles_.erase(it);
        } else if constexpr (std::is_same_v<T, store::PutApiToken>) {
          // DESIGN.md: a revoked token disappears (okta-compat.md §11.11)
          if (c.token.revoked) tokens_.erase(c.token.id);
          else tokens_.put(c.token);
        } else if constexpr (std::is_same_v<T, store::PutDocument>) {
          doc_kind(c.doc.kind).put(c.doc);
        } else if constexpr (std::is_same_v<T, store::DeleteDocument>) {
          // Children of any kind go with their parent (as the store).
          if (domain::deletes_children(c.kind))
            for (auto& [name, k] : docs_) k.erase_children(c.id);
          if (auto k = docs_.find(c.kind); k != docs_.end()) k->second.erase(c.id);
        }
      },
      change);
}

}  // namespace gh::model
