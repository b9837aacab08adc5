#pragma once
// Versions of an API service integration (issue 15): the working version (a submission
// document's top-level members, the vendor's) and the published copy (`_gh.published`,
// domain/integration.hpp), which only the operator's approval writes.
//
// Rules, pure (no model):
// - A new version of a published integration is a new submission of the same id: POST of an id
//   whose document this org holds as PUBLISHED starts a DRAFT working version in that document;
//   `_gh` (the published copy, the comments) and `lastPublished` are kept.
// - Deleting the working version of an integration that was published reverts the document to
//   the published copy (status PUBLISHED) instead of deleting it: installs depend on it, and the
//   key stays the vendor's. Only a never-published submission is deleted.
// - Approval snapshots the working version as the published copy: version + 1, listed, not
//   revoked. Unpublish clears `listed` (and sets `revoked` when asked).
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "domain/integration.hpp"

namespace gh::api::integrations {

inline constexpr std::size_t kMaxComment = 2048;

// `old` reverted to its published copy: its top-level vendor members are the copy's, status
// PUBLISHED (contacts stay the working version's); an empty object when `old` was never published.
boost::json::object reverted_to_published(const boost::json::object& old);
bool was_published(const boost::json::object& body);

// The `_gh.published` copy of the working version `body`, with `version` and `published_at`, and
// `scopeSince`: for each declared scope, when its current run of declaration began (carried over
// from `prev`, the version it replaces, if that declared it; else `published_at`).
boost::json::object published_snapshot(const boost::json::object& body, std::int64_t version,
                                       std::string_view published_at, const domain::PublishedIntegration* prev);

// The scopes of the working version against the published ones (each list in declared order).
struct ScopeDiff {
  std::vector<std::string> added, removed, unchanged;
};
ScopeDiff scope_diff(const boost::json::object& working, const domain::PublishedIntegration* published);
boost::json::object to_json(const ScopeDiff& d);

// Appends {comment, author, created, action} to `_gh.comments` of `body` (`author`: the
// operator's user or client id).
void add_comment(boost::json::object& body, std::string_view comment, std::string_view author,
                 std::string_view created, std::string_view action);

// A review comment: 1 to kMaxComment characters, no control characters but newlines and tabs.
bool is_valid_comment(std::string_view comment);

}  // namespace gh::api::integrations
