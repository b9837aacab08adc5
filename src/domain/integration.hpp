#pragma once
// TEMPORARY stub of h-15a's seam (reverted before merging h-15a).
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.hpp"

namespace gh::domain {
struct DeclaredScope {
  std::string scope, reason;
};
struct PublishedIntegration {
  std::string key;
  core::OrgId vendor_org;
  std::string name, description, logo, config_guide_url;
  std::vector<DeclaredScope> scopes;
  std::int64_t version = 0;
  std::string published_at;
  bool listed = true;
  bool revoked = false;
};
}  // namespace gh::domain
