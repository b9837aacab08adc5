#pragma once
// Shared steps of the authorization-server resources: lookups scoped to ctx.org (another org's
// ids are simply not found: 404 E0000007), listing of child documents, status and removal.
// Handlers run with the org lock held shared (Ctx); none of these are thread-safe beyond that.
#include <functional>
#include <string>
#include <string_view>

#include "api/common/context.hpp"
#include "domain/documents.hpp"

namespace gh::api::auth_servers {

// Case-insensitive (ASCII) substring test, for `q=`; an empty needle matches.
bool icontains(std::string_view s, std::string_view needle);

// The auth_server `id` of ctx.org (never null), or 404 E0000007.
Result<const domain::Document*> find_server(Ctx& ctx, std::string_view id);

// The document `id` of `kind` whose parent is `parent` (never null), or 404 (`what` names the
// resource type in the summary, e.g. "OAuth2Scope").
Result<const domain::Document*> find_child(Ctx& ctx, std::string_view kind, std::string_view parent,
                                           std::string_view id, std::string_view what);

// GET of a child collection: `q` (case-insensitive substring of `name`), `filter` (on body
// attributes), `limit` (default and max 200) and `after`; Link headers (okta-compat.md §1.6).
Result<http::Response> list_children(Ctx& ctx, std::string_view kind, std::string_view parent,
                                     const std::string& path_in_org,
                                     const std::function<std::string(const domain::Document&)>& render);

// Sets `status` and `lastUpdated` of `d` (lifecycle activate/deactivate) → 204.
Result<http::Response> set_status(Ctx& ctx, const domain::Document& d, std::string_view status);

// Deletes `d` and its children → 204.
Result<http::Response> remove_doc(Ctx& ctx, const domain::Document& d);

// A document replacing `old`: `body` plus the id and `created` of `old`, `lastUpdated` = now.
domain::Document replaced(const Ctx& ctx, const domain::Document& old, boost::json::object body);
// A new document of `kind` under `parent` with a fresh id `prefix` + 17 base62 characters.
domain::Document created(Ctx& ctx, std::string_view kind, std::string_view prefix, std::string parent,
                         boost::json::object body);

}  // namespace gh::api::auth_servers
