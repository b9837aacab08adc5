#pragma once
// The store: durable state behind the in-memory model. No SQL here (STYLE.md §2 rule 2).
// Writes are ChangeSets bound to one org and committed in one durable transaction, so a write
// cannot touch another org's rows and a change and its audit events land together.
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/small_string.hpp"
#include "domain/documents.hpp"
#include "domain/log_event.hpp"
#include "domain/types.hpp"
#include "store/event_batch.hpp"

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
// A System Log event recording the other changes of its ChangeSet (same transaction).
struct AppendEvent { domain::LogEvent event; };

using Change = std::variant<PutUser, DeleteUser, PutGroup, DeleteGroup, AddMember, RemoveMember,
                            PutRole, DeleteRole, PutApiToken, PutDocument, DeleteDocument, AppendEvent>;
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
  // Documents as stored, their bodies JSON text not yet parsed (load_org with a token sink
  // returns them here instead of in documents; the read model parses a body when first read).
  struct StoredDocument {
    std::string kind;
    core::SmallString id, parent;  // ids fit inline: no allocation per row
    std::string body;
  };
  std::vector<StoredDocument> stored_documents;
};

// Receives an org's API tokens (not revoked, in id order) one at a time while load_org reads
// them; the reference is valid during the call only. Start-up builds the read model's token
// table from it, so that 1M tokens are never held twice (issue #5).
class ApiTokenSink {
 public:
  virtual ~ApiTokenSink() = default;
  virtual void reserve(std::size_t) {}  // about this many will follow
  virtual void add(const domain::ApiToken& t) = 0;
};

struct TokenUse {
  core::OrgId org_id;
  std::string token_id;
  domain::Millis last_used;
};

// System Log (okta-compat.md §5, §2 "Pagination"): one stored event, as read.
struct EventRow {
  std::int64_t seq = 0;  // persistence order: strictly increasing, never reused
  domain::Millis published = 0;
  std::string json;  // the LogEvent as Okta renders it (made from its stored record)
};

enum class EventOrder {
  published_asc,   // bounded queries: by (published, seq)
  published_desc,  // by (published, seq) descending
  persisted_asc,   // polling queries: by seq, the order events became visible
};

// A range of one org's events: `published` in [since, until), in `order`, strictly after the
// position (after_published, after_seq) in that order (persisted_asc uses after_seq only).
struct EventQuery {
  domain::Millis since = 0;
  domain::Millis until = 0;
  EventOrder order = EventOrder::published_asc;
  domain::Millis after_published = 0;
  std::int64_t after_seq = 0;
  bool has_after = false;  // false: from the start of the range
  std::size_t limit = 100;
};


// Thread-safety: implementations serialise writes internally; callers may call from any thread.
class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::vector<domain::Org>> list_orgs() = 0;
  // Everything of one org; its API tokens go to `tokens` (snapshot.api_tokens stays empty) and
  // its documents to snapshot.stored_documents.
  virtual Result<OrgSnapshot> load_org(const core::OrgId& org_id, ApiTokenSink& tokens) = 0;
  // The same with the API tokens in snapshot.api_tokens and every document parsed into
  // snapshot.documents (store.cpp).
  Result<OrgSnapshot> load_org(const core::OrgId& org_id);
  // Start-up has loaded every org: the store may drop what only loading needed.
  virtual void loaded() {}
  // Creates an org together with its first changes (admin, Everyone, token) atomically.
  virtual Result<void> create_org(const domain::Org& org, const ChangeSet& changes) = 0;
  // Commits `changes` for `org_id` in one durable transaction: all or nothing.
  virtual Result<void> commit(const core::OrgId& org_id, const ChangeSet& changes) = 0;
  // Batched, best-effort bookkeeping: lastUsed of API tokens.
  virtual Result<void> record_token_use(const std::vector<TokenUse>& uses) = 0;
  // Appends queued events (token issuance and refusal, ...) in one transaction.
  virtual Result<void> append_events(const EventBatch& events) = 0;
  // At most q.limit events of `org_id` (never another org's) matching `q`, in q.order.
  virtual Result<std::vector<EventRow>> query_events(const core::OrgId& org_id, const EventQuery& q) = 0;
  // Deletes at most `max_rows` events (of any org) published before `cutoff`, oldest first (in
  // the order they were stored); returns how many were deleted, fewer than `max_rows` once the
  // oldest stored events are within the window.
  virtual Result<std::size_t> prune_events(domain::Millis cutoff, std::size_t max_rows) = 0;
};

}  // namespace gh::store
