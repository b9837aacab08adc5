#pragma once
// The store: durable state behind the in-memory model. No SQL here (STYLE.md §2 rule 2).
// Writes are ChangeSets bound to one org and committed in one durable transaction, so a write
// cannot touch another org's rows and a change and its audit events land together.
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "domain/documents.hpp"
#include "domain/types.hpp"

namespace gh::store {

struct PutUser { domain::User user; };
struct DeleteUser { std::string id; };
struct PutGroup { domain::Group group; };
struct DeleteGroup { std::string id; };
struct AddMember { std::string group_id, user_id; };
struct RemoveMember { std::string group_id, user_id; };
struct PutRole { domain::RoleAssignment role; };
struct DeleteRole { std::string id; };
struct PutApiToken { domain::ApiToken token; };
struct PutDocument { domain::Document doc; };
struct DeleteDocument { std::string kind, id; };  // also deletes the document's children

using Change = std::variant<PutUser, DeleteUser, PutGroup, DeleteGroup, AddMember, RemoveMember,
                            PutRole, DeleteRole, PutApiToken, PutDocument, DeleteDocument>;
using ChangeSet = std::vector<Change>;

// Everything of one org, as loaded at start-up.
struct OrgSnapshot {
  domain::Org org;
  std::vector<domain::User> users;
  std::vector<domain::Group> groups;
  std::vector<std::pair<std::string, std::string>> members;  // (group_id, user_id)
  std::vector<domain::RoleAssignment> roles;
  std::vector<domain::ApiToken> api_tokens;  // not revoked
  std::vector<domain::Document> documents;
};

struct TokenUse {
  std::string org_id, token_id;
  domain::Millis last_used;
};

// Thread-safety: implementations serialise writes internally; callers may call from any thread.
class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::vector<domain::Org>> list_orgs() = 0;
  virtual Result<OrgSnapshot> load_org(const std::string& org_id) = 0;
  // Creates an org together with its first changes (admin, Everyone, token) atomically.
  virtual Result<void> create_org(const domain::Org& org, const ChangeSet& changes) = 0;
  // Commits `changes` for `org_id` in one durable transaction: all or nothing.
  virtual Result<void> commit(const std::string& org_id, const ChangeSet& changes) = 0;
  // Batched, best-effort bookkeeping: lastUsed of API tokens.
  virtual Result<void> record_token_use(const std::vector<TokenUse>& uses) = 0;
};

}  // namespace gh::store
