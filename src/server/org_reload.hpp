#pragma once
// Many nodes (issue 18): bringing this node's model of an org up to what the store holds, after
// another node changed it (server/change_feed.hpp). The org's OrgModel stays the same object
// (requests hold OrgModel* without the directory's lock); the difference is applied to it as a
// ChangeSet, like any commit, so every index, cache version (KeyRing's JWKS) and the
// directory's integration indexes follow.
#include <functional>
#include <string>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "model/directory.hpp"
#include "store/store.hpp"

namespace gh::server {

// The changes that turn `live` into `fresh` (the same org just loaded, documents parsed and API
// tokens in fresh.api_tokens): deletions of what `fresh` lacks first, then puts of what is new
// or differs; empty when they are the same.
// The caller holds live's mutex (shared is enough).
store::ChangeSet changes_to(const model::OrgModel& live, const store::OrgSnapshot& fresh);

// What a reload needs: the store, the model and how a new org's model is made.
struct ReloadParts {
  store::Store& store;
  model::Directory& directory;
  const model::Renderer& renderer;
  std::function<std::string(const domain::Org&)> url_of;  // the org's URL (ORG)
};

// Writer lane: loads org `id` from the store and makes the model's copy match it (added when
// this node has not seen it yet). store::Errc::not_found when the store has no such org.
gh::Result<void> reload_org(const ReloadParts& parts, const core::OrgId& id);
// Writer lane: every org of the store (after the change feed's connection was lost).
gh::Result<void> reload_all(const ReloadParts& parts);

}  // namespace gh::server
