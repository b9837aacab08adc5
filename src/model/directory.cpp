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
  // Not yet visible to any other thread: its documents are read without its lock.
  org->set_apply_listener([this](const OrgModel& o, const store::ChangeSet& c) { index_changes(o, c); });
  std::unique_lock lk(mu_);
  auto& ref = *org;
  for (auto it = ref.docs(domain::kind::submission).begin(); it != ref.docs(domain::kind::submission).end(); ++it)
    index_submission(ref.id(), it->second);
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

std::optional<core::OrgId> Directory::integration_owner(std::string_view key) const {
  std::shared_lock lk(mu_);
  auto it = integration_keys_.find(key);
  if (it == integration_keys_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::string, core::OrgId>> Directory::integrations() const {
  std::shared_lock lk(mu_);
  return {integration_keys_.begin(), integration_keys_.end()};
}

std::shared_ptr<const domain::PublishedIntegration> Directory::published(std::string_view key) const {
  std::shared_lock lk(mu_);
  auto it = published_.find(key);
  return it == published_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const domain::PublishedIntegration>> Directory::published_all() const {
  std::shared_lock lk(mu_);
  std::vector<std::shared_ptr<const domain::PublishedIntegration>> out;
  out.reserve(published_.size());
  for (auto& [k, p] : published_) out.push_back(p);
  return out;
}

void Directory::index_submission(const core::OrgId& org, const domain::Document& doc) {
  auto [it, fresh] = integration_keys_.emplace(doc.id, org);
  if (!fresh && it->second != org) return;  // another org's key: never taken over
  if (auto p = domain::published_of(doc.body, doc.id, org))
    published_[doc.id] = std::make_shared<const domain::PublishedIntegration>(std::move(*p));
  else
    published_.erase(doc.id);
}

// Runs inside OrgModel::apply (the org's exclusive lock held): lock order org → directory; the
// Directory never takes an org's mutex while holding its own.
void Directory::index_changes(const OrgModel& org, const store::ChangeSet& changes) {
  for (auto& c : changes) {
    if (auto* p = std::get_if<store::PutDocument>(&c); p && p->doc.kind == domain::kind::submission) {
      std::unique_lock lk(mu_);
      index_submission(org.id(), p->doc);
    } else if (auto* d = std::get_if<store::DeleteDocument>(&c); d && d->kind == domain::kind::submission) {
      std::unique_lock lk(mu_);
      if (auto it = integration_keys_.find(d->id); it != integration_keys_.end() && it->second == org.id())
        integration_keys_.erase(it), published_.erase(d->id);
    }
  }
}

}  // namespace gh::model
