#pragma once
// The in-memory read model of one org (DESIGN.md "Request path"): every read is served from here,
// every committed ChangeSet is applied here right after the store commits it (read-your-writes).
// Thread-safety: readers hold mutex() shared; apply() requires it held exclusively.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <shared_mutex>  // std::shared_lock on mutex()
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ids.hpp"
#include "core/shared_mutex.hpp"
#include "domain/types.hpp"
#include "model/doc_map.hpp"
#include "model/token_table.hpp"
#include "store/store.hpp"

namespace gh::model {

// Renders the JSON of a user or group once per change (the api layer provides it).
class Renderer {
 public:
  virtual ~Renderer() = default;
  virtual std::string render_user(std::string_view org_url, const domain::User& u) const = 0;
  virtual std::string render_group(std::string_view org_url, const domain::Group& g) const = 0;
};

class UserEntry {
 public:
  UserEntry() = default;
  UserEntry(const UserEntry&) = delete;
  ~UserEntry() { delete json_.load(std::memory_order_relaxed); }
  domain::User user;

 private:
  friend class OrgModel;
  // Rendered on first read (OrgModel::user_json), not at start-up: 100k users' JSON took a
  // quarter of loading them (issue #5). Dropped when the user changes.
  mutable std::atomic<const std::string*> json_{nullptr};
};
struct GroupEntry {
  domain::Group group;
  std::string json;
  std::set<std::string, std::less<>> members;  // explicit members (Everyone holds every user)
};

class OrgModel {
 public:
  // `tokens`: API tokens loaded beside the snapshot (start-up streams them, issue #5); the
  // snapshot's own api_tokens are added to them.
  OrgModel(store::OrgSnapshot snap, std::string url, const Renderer& renderer, TokenTable tokens = {});

  const domain::Org& org() const { return org_; }
  const core::OrgId& id() const { return id_; }  // org().id, typed for the store and directory
  const std::string& url() const { return url_; }  // ORG: canonical org URL, no trailing slash
  // Writer-preferring (core::SharedMutex): never take it shared twice on one thread.
  core::SharedMutex& mutex() const { return mu_; }

  const UserEntry* user(const core::UserId& id) const;
  const UserEntry* user_by_login(std::string_view login) const;  // case-insensitive
  const std::map<std::string, UserEntry, std::less<>>& users() const { return users_; }
  // The user as the API renders it (Renderer::render_user), made on first call; safe under the
  // shared lock.
  const std::string& user_json(const UserEntry& e) const;

  const GroupEntry* group(std::string_view id) const;
  const GroupEntry* group_by_name(std::string_view name) const;  // case-insensitive
  const std::map<std::string, GroupEntry, std::less<>>& groups() const { return groups_; }
  const GroupEntry* everyone() const;
  bool is_member(const GroupEntry& g, std::string_view user_id) const;
  std::vector<const GroupEntry*> groups_of(const core::UserId& user_id) const;  // ordered by id

  std::vector<const domain::RoleAssignment*> roles_of(domain::PrincipalType t, std::string_view id) const;
  const domain::RoleAssignment* role(std::string_view id) const;
  const std::map<std::string, domain::RoleAssignment, std::less<>>& roles() const { return roles_; }

  const TokenEntry* token_by_mac(const crypto::Mac& mac) const;
  // The user who owns `t` (null if gone); the SSWS path's lookup, without copying the id.
  const UserEntry* owner_of(const TokenEntry& t) const { return find_user(t.user_id()); }
  const TokenEntry* token(std::string_view id) const;
  const TokenTable& tokens() const { return tokens_; }  // in id order
  std::vector<const TokenEntry*> tokens_of(const core::UserId& user_id) const;

  // Documents (domain/documents.hpp): by kind and id, and children by parent, ordered by id.
  const domain::Document* doc(std::string_view kind, std::string_view id) const;
  std::vector<const domain::Document*> children(std::string_view kind, std::string_view parent) const;
  // The same with each one's typed record (ParsedDoc::child for an app's secrets, keys, grants).
  std::vector<const ParsedDoc*> children_parsed(std::string_view kind, std::string_view parent) const;
  const DocMap& docs(std::string_view kind) const;
  // The app `client_id` with its typed client record (parsed->client, never null here), parsed
  // with the document; nullptr when there is no such app. Same lifetime and locking as doc().
  const ParsedDoc* client(const core::ClientId& client_id) const;
  // Bumped by every apply(); caches derived from the model compare it (no lock needed).
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

  void apply(const store::ChangeSet& changes);
  // Called at the end of every apply(), under this org's exclusive lock, with the changes just
  // applied: the Directory keeps its server-wide indexes with it (Directory::add sets it). It
  // must not take this org's mutex.
  using ApplyListener = std::function<void(const OrgModel&, const store::ChangeSet&)>;
  void set_apply_listener(ApplyListener l) { on_apply_ = std::move(l); }

 private:
  void apply_one(const store::Change& c);
  const UserEntry* find_user(std::string_view id) const;
  std::vector<const TokenEntry*> find_tokens_of(std::string_view user_id) const;
  void put_user(domain::User u, bool loading = false);
  void put_group(domain::Group g);
  DocMap& doc_kind(std::string_view kind);

  domain::Org org_;
  core::OrgId id_;
  std::string url_;
  const Renderer& renderer_;
  mutable core::SharedMutex mu_;
  std::map<std::string, UserEntry, std::less<>> users_;
  std::unordered_map<std::string, std::string> login_index_;  // lower(login) → id
  std::map<std::string, GroupEntry, std::less<>> groups_;
  std::unordered_map<std::string, std::string> group_name_index_;  // lower(name) → id
  std::string everyone_id_;
  std::unordered_map<std::string, std::set<std::string, std::less<>>> user_groups_;
  std::map<std::string, domain::RoleAssignment, std::less<>> roles_;
  TokenTable tokens_;
  std::unordered_map<std::string, std::set<std::string, std::less<>>> roles_by_principal_;
  std::map<std::string, DocMap, std::less<>> docs_;
  std::atomic<std::uint64_t> version_{0};
  ApplyListener on_apply_;
};

std::string ascii_lower(std::string_view s);

}  // namespace gh::model
