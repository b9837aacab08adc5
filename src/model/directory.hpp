#pragma once
// All orgs of this server, by slug and by id. Thread-safe; org models are never removed.
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "model/org_model.hpp"

namespace gh::model {

class Directory {
 public:
  OrgModel* by_slug(std::string_view slug) const;  // "" = the first org
  OrgModel* by_id(const core::OrgId& id) const;
  OrgModel& add(std::unique_ptr<OrgModel> org);
  std::vector<OrgModel*> all() const;

 private:
  mutable std::shared_mutex mu_;
  std::vector<std::unique_ptr<OrgModel>> orgs_;
  std::map<std::string, OrgModel*, std::less<>> by_slug_;
  std::map<core::OrgId, OrgModel*> by_id_;
};

}  // namespace gh::model
