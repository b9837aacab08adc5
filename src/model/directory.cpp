#include "model/directory.hpp"

#include <mutex>

namespace gh::model {

OrgModel* Directory::by_slug(std::string_view slug) const {
  std::shared_lock lk(mu_);
  auto it = by_slug_.find(slug);
  return it == by_slug_.end() ? nullptr : it->second;
}

OrgModel* Directory::by_id(const core::OrgId& id) const {
  std::shared_lock lk(mu_);
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

OrgModel& Directory::add(std::unique_ptr<OrgModel> org) {
  std::unique_lock lk(mu_);
  auto& ref = *org;
  by_slug_[ref.org().slug] = &ref;
  by_id_[ref.id()] = &ref;
  orgs_.push_back(std::move(org));
  return ref;
}

std::vector<OrgModel*> Directory::all() const {
  std::shared_lock lk(mu_);
  std::vector<OrgModel*> out;
  for (auto& o : orgs_) out.push_back(o.get());
  return out;
}

}  // namespace gh::model
