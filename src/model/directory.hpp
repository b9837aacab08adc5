#pragma once
// All orgs of this server, by slug and by id, and the server-wide indexes over them.
// Thread-safe; org models are never removed.
#include <map>
#include <optional>
#include <memory>
#include <shared_mutex>  // std::shared_lock
#include <string>
#include <string_view>
#include <vector>

#include "domain/integration.hpp"
#include "model/org_model.hpp"

namespace gh::model {

class Directory {
 public:
  OrgModel* by_slug(std::string_view slug) const;  // "" = the first org
  OrgModel* by_id(const core::OrgId& id) const;
  OrgModel& add(std::unique_ptr<OrgModel> org);
  std::vector<OrgModel*> all() const;

  // API service integrations (issue 15): integration key (the id of a `submission` document,
  // also the `type` customers install) → the vendor org that holds it. Rebuilt from each org as
  // it is added and kept up to date as orgs apply `submission` documents, so the later catalog
  // and review queue read the same index. A key is unique across the server: writes run on the
  // one writer thread, so checking this index before the commit is race-free on one node (the
  // PostgreSQL issue adds a unique index on the key for many nodes).
  std::optional<core::OrgId> integration_owner(std::string_view key) const;
  std::vector<std::pair<std::string, core::OrgId>> integrations() const;  // by key

  // The published copy of an integration (the vendor's `_gh.published`, domain/integration.hpp),
  // kept by the same listener: null when the key was never published. Listed or not (callers
  // check `listed` / `revoked`). Immutable snapshots: any thread reads them without the vendor
  // org's mutex; an approval or unpublish replaces the pointer.
  std::shared_ptr<const domain::PublishedIntegration> published(std::string_view key) const;
  std::vector<std::shared_ptr<const domain::PublishedIntegration>> published_all() const;  // by key

 private:
  void index_changes(const OrgModel& org, const store::ChangeSet& changes);
  // Indexes one submission document of `org` (mu_ held exclusively).
  void index_submission(const core::OrgId& org, const domain::Document& doc);

  mutable core::SharedMutex mu_;  // writer-preferring; taken only for leaf sections
  std::vector<std::unique_ptr<OrgModel>> orgs_;
  std::map<std::string, OrgModel*, std::less<>> by_slug_;
  std::map<core::OrgId, OrgModel*> by_id_;
  std::map<std::string, core::OrgId, std::less<>> integration_keys_;
  std::map<std::string, std::shared_ptr<const domain::PublishedIntegration>, std::less<>> published_;
};

}  // namespace gh::model
