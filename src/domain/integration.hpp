#pragma once
// A published API service integration (issue 15): the copy of a vendor's submission the
// operator approved, as customers see it in the catalog and install it. Plain data, read by the
// catalog, the review queue and installs through model::Directory::published.
//
// Stored in the vendor org's `submission` document (domain/documents.hpp) as the private member
// `_gh.published` = {name, description, logo, apiService: {scopes: [{scope, reason}],
// configGuideUrl}, version, publishedAt, listed, revoked}: a snapshot taken at approval; the
// document's top-level members are the vendor's working version.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <map>
#include <vector>

#include "core/ids.hpp"

namespace gh::domain {

struct DeclaredScope {
  std::string scope;   // an okta.* scope of this server
  std::string reason;  // why the integration needs it, shown to the customer's admin
};

struct PublishedIntegration {
  std::string key;  // the submission id == the install `type`
  core::OrgId vendor_org;
  std::string name, description, logo, config_guide_url;
  std::vector<DeclaredScope> scopes;
  std::int64_t version = 0;  // 1 at the first approval, one more at each
  std::string published_at;  // ISO 8601 UTC
  bool listed = false;       // false once unpublished: no catalog entry, no new installs
  bool revoked = false;      // the operator also revoked every install: their tokens are refused
  // scope → publishedAt of the version since which it has been declared without a gap. A grant
  // made before that (the scope was dropped and declared again later) is not in force until the
  // org's admin consents again (issue 15: added scopes reach an install only after consent).
  // Absent for a scope declared since before this was recorded: any grant is in force.
  std::map<std::string, std::string, std::less<>> scope_since;
};

// Whether an instance's grant of `scope` made at `granted_at` (ISO 8601 UTC, as stored) is in
// force under `p`: it was made once the scope's current run of declaration began.
bool grant_in_force(const PublishedIntegration& p, std::string_view scope, std::string_view granted_at);

// The published copy from a stored `_gh.published` object; nullopt when it is malformed (no
// name or no positive version). Missing optional members read as empty / false.
std::optional<PublishedIntegration> parse_published(const boost::json::object& published, std::string key,
                                                    core::OrgId vendor_org);

// The `_gh.published` member of a submission document's body, parsed; nullopt when the
// submission was never published.
std::optional<PublishedIntegration> published_of(const boost::json::object& submission_body, std::string key,
                                                 core::OrgId vendor_org);

}  // namespace gh::domain
