// ORG/api/v1/review/submissions (issue 15, operator side; Gatehouse's own API,
// docs/openapi/gatehouse-integrations.yaml): the review queue of the server's operator, a
// SUPER_ADMIN of the first org (the same rule as the org creator API). List by status, get one
// with its published copy and the scope diff, approve → PUBLISHED, reject with a comment →
// REJECTED, unpublish (optionally revoking every install).
//
// The documents are the VENDOR org's: reads take the vendor org's lock shared (after the first
// org's, which the request holds; the writer thread holds one exclusive lock at a time, so there
// is no cycle), and writes commit to the vendor org's store and model on the writer thread
// (POST), with the System Log event in the same transaction; the event is also written to the
// operator's (first) org.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <deque>

#include <spdlog/spdlog.h>

#include "api/common/audit.hpp"
#include "api/common/json_body.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/integrations/routes.hpp"
#include "api/integrations/submission.hpp"
#include "api/integrations/versions.hpp"
#include "domain/json_fields.hpp"
#include "model/commit.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;
namespace kind = domain::kind;
using domain::str_member;

constexpr std::string_view kQueuePath = "/api/v1/review/submissions";

// The server's operator (issue 15): a SUPER_ADMIN of the first org; for a Bearer token, a
// service app of the first org holding SUPER_ADMIN (the route checks okta.manifests.*).
bool is_operator(const Ctx& ctx) { return ctx.org.org().slug.empty() && ctx.principal.is_super_admin; }

// A vendor org's documents, seen from a request of the first org.
class Vendor {
 public:
  Vendor(Ctx& ctx, model::OrgModel& org) : ctx_(ctx), org_(org) {
    if (&org_ != &ctx_.org) lk_ = std::shared_lock(org_.mutex());
  }
  model::OrgModel& org() { return org_; }
  // The lock commit_and_apply releases for the apply and takes again.
  std::shared_lock<core::SharedMutex>* held() { return &org_ == &ctx_.org ? ctx_.lock : &lk_; }

 private:
  Ctx& ctx_;
  model::OrgModel& org_;
  std::shared_lock<core::SharedMutex> lk_;
};

model::OrgModel* vendor_of(Ctx& ctx, std::string_view key) {
  auto owner = ctx.deps.directory.integration_owner(key);
  return owner ? ctx.deps.directory.by_id(*owner) : nullptr;
}

// One entry of the queue: the vendor org, the submission (the working version), the published
// copy or null, the scope diff against it and the review comments. Vendor lock held.
json::object review_view(model::OrgModel& vendor, const domain::Document& d) {
  auto published = domain::published_of(d.body, d.id, vendor.id());
  json::object o;
  o["id"] = d.id;
  o["status"] = str_member(d.body, "status");
  o["vendorOrg"] = json::object{{"id", vendor.id().str()}, {"name", vendor.org().name}, {"url", vendor.url()}};
  json::object sub = d.body;
  sub.erase("_gh");
  o["submission"] = std::move(sub);
  json::value pub = nullptr, comments = json::array{};
  if (auto* gh = d.body.if_contains("_gh"); gh && gh->is_object()) {
    if (published)
      if (auto* p = gh->get_object().if_contains("published")) pub = *p;
    if (auto* c = gh->get_object().if_contains("comments"); c && c->is_array()) comments = *c;
  }
  o["published"] = std::move(pub);
  o["scopeDiff"] = to_json(scope_diff(d.body, published ? &*published : nullptr));
  o["comments"] = std::move(comments);
  return o;
}

Result<http::Response> list(Ctx& ctx) {
  if (!is_operator(ctx)) return forbidden();
  auto page = parse_page(ctx.query, 20, 200);
  if (!page) return page.error();
  std::string_view want = ctx.query.get("status").value_or(status::submitted);
  if (want != status::draft && want != status::submitted && want != status::rejected && want != status::published)
    return validation_failed("status", {"status: Must be DRAFT, SUBMITTED, REJECTED or PUBLISHED"});
  auto all = ctx.deps.directory.integrations();  // by key: the cursor is the key (okta-compat.md §1.6)
  auto it = std::upper_bound(all.begin(), all.end(), page->after,
                             [](const std::string& a, const auto& e) { return a < e.first; });
  if (page->after.empty()) it = all.begin();
  std::deque<std::string> rendered;
  std::vector<const std::string*> items;
  std::optional<std::string> next;
  std::string last;
  for (; it != all.end(); ++it) {
    auto* org = ctx.deps.directory.by_id(it->second);
    if (!org) continue;
    Vendor v(ctx, *org);
    auto* d = org->doc(kind::submission, it->first);
    if (!d || str_member(d->body, "status") != want) continue;
    if (items.size() == page->limit) {
      next = last;
      break;
    }
    items.push_back(&rendered.emplace_back(json::serialize(review_view(*org, *d))));
    last = it->first;
  }
  auto res = ok_json(json_array(items));
  set_links(res, ctx.org.url(), kQueuePath, ctx.query, next);
  return res;
}

Result<http::Response> get(Ctx& ctx) {
  if (!is_operator(ctx)) return forbidden();
  auto* org = vendor_of(ctx, ctx.params[0]);
  if (!org) return not_found(ctx.params[0]);
  Vendor v(ctx, *org);
  auto* d = org->doc(kind::submission, ctx.params[0]);
  if (!d) return not_found(ctx.params[0]);
  return ok_json(json::serialize(review_view(*org, *d)));
}

// The optional or required `comment` of a review action's body; causes when it is wrong.
Result<std::optional<std::string>> read_comment(Ctx& ctx, bool required, json::object& body) {
  auto b = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!b) return b.error();
  body = std::move(*b);
  auto* c = body.if_contains("comment");
  if (!c || c->is_null() || (c->is_string() && c->get_string().empty() && !required)) {
    if (required) return validation_failed("comment", {"comment: The field cannot be left blank"});
    return std::optional<std::string>{};
  }
  if (!c->is_string() || !is_valid_comment(c->get_string()))
    return validation_failed("comment", {"comment: Must be 1 to 2048 characters without control characters"});
  return std::optional<std::string>{std::string(c->get_string())};
}

// Commits `next` (the submission as it will be) with the event `type` to the vendor org, and the
// same event to the operator's org; answers the review view.
Result<http::Response> write(Ctx& ctx, Vendor& v, domain::Document next, std::string_view type,
                             std::string message, json::object detail) {
  auto& org = v.org();
  std::string name(str_member(next.body, "name"));
  std::vector<domain::LogTarget> targets{
      {next.id, "OinSubmission", next.id, name, {}},
      {org.id().str(), "Org", org.org().slug, org.org().name, {}}};
  auto event = audit::request_event(ctx, type, std::move(message), std::move(targets));
  for (auto& [k, val] : detail) event.debug_data[k] = val;
  auto id = next.id;
  store::ChangeSet changes{store::PutDocument{std::move(next)}, store::AppendEvent{event}};
  if (auto r = model::commit_and_apply(ctx.deps.store, org, changes, v.held()); !r) return commit_failed(r.error());
  if (&org != &ctx.org) {
    event.uuid = domain::new_event_uuid(ctx.deps.random);
    if (auto r = commit(ctx, {store::AppendEvent{std::move(event)}}); !r)
      spdlog::warn("review recorded in the vendor org only org={} key={}", org.id().str(), id);
  }
  return ok_json(json::serialize(review_view(org, *org.doc(kind::submission, id))));
}

json::array scope_names(const json::object& body) {
  json::array a;
  for (auto& s : scope_diff(body, nullptr).added) a.emplace_back(s);
  return a;
}

// approve / reject: only a SUBMITTED submission (issue 15).
enum class Verdict { approve, reject };
Result<http::Response> review(Ctx& ctx, Verdict verdict) {
  if (!is_operator(ctx)) return forbidden();
  json::object body;
  auto comment = read_comment(ctx, verdict == Verdict::reject, body);
  if (!comment) return comment.error();
  auto* org = vendor_of(ctx, ctx.params[0]);
  if (!org) return not_found(ctx.params[0]);
  Vendor v(ctx, *org);
  auto* d = org->doc(kind::submission, ctx.params[0]);
  if (!d) return not_found(ctx.params[0]);
  auto st = str_member(d->body, "status");
  if (st != status::submitted)
    return validation_failed("status", {"status: Only a SUBMITTED submission can be " +
                                        std::string(verdict == Verdict::approve ? "approved" : "rejected") +
                                        "; this one is " + std::string(st)});
  auto prev = domain::published_of(d->body, d->id, org->id());
  auto diff = scope_diff(d->body, prev ? &*prev : nullptr);
  domain::Document next = *d;
  auto now = iso(ctx.now());
  json::object detail{{"scopes", scope_names(d->body)}, {"scopeDiff", to_json(diff)}};
  if (verdict == Verdict::approve) {
    std::int64_t version = prev ? prev->version + 1 : 1;
    next.body["status"] = status::published;
    next.body["lastPublished"] = now;
    auto& gh = next.body["_gh"];
    if (!gh.is_object()) gh = json::object{};
    gh.as_object()["published"] = published_snapshot(d->body, version, now, prev ? &*prev : nullptr);
    detail["version"] = version;
  } else {
    next.body["status"] = status::rejected;
  }
  auto action = verdict == Verdict::approve ? status::published : status::rejected;
  if (*comment) add_comment(next.body, **comment, actor_id(ctx), now, action);
  return verdict == Verdict::approve
             ? write(ctx, v, std::move(next), "oin.submission.approve", "Approve API service integration", std::move(detail))
             : write(ctx, v, std::move(next), "oin.submission.reject", "Reject API service integration", std::move(detail));
}

Result<http::Response> approve(Ctx& ctx) { return review(ctx, Verdict::approve); }
Result<http::Response> reject(Ctx& ctx) { return review(ctx, Verdict::reject); }

// POST .../{id}/unpublish {"revokeInstalls": bool, "comment"?}: no catalog entry and no new
// installs; existing installs keep working unless revokeInstalls (their tokens are refused).
Result<http::Response> unpublish(Ctx& ctx) {
  if (!is_operator(ctx)) return forbidden();
  json::object body;
  auto comment = read_comment(ctx, false, body);
  if (!comment) return comment.error();
  bool revoke = false;
  if (auto* r = body.if_contains("revokeInstalls"); r && !r->is_null()) {
    if (!r->is_bool()) return validation_failed("revokeInstalls", {"revokeInstalls: The field must be a boolean"});
    revoke = r->get_bool();
  }
  auto* org = vendor_of(ctx, ctx.params[0]);
  if (!org) return not_found(ctx.params[0]);
  Vendor v(ctx, *org);
  auto* d = org->doc(kind::submission, ctx.params[0]);
  if (!d) return not_found(ctx.params[0]);
  if (!was_published(d->body))
    return validation_failed("status", {"status: The integration was never published"});
  domain::Document next = *d;
  auto& p = next.body["_gh"].as_object()["published"].as_object();
  p["listed"] = false;
  if (revoke) p["revoked"] = true;
  json::object detail{{"scopes", scope_names(p)}, {"revokeInstalls", revoke}};
  if (*comment) add_comment(next.body, **comment, actor_id(ctx), iso(ctx.now()), "UNPUBLISHED");
  return write(ctx, v, std::move(next), "oin.submission.unpublish", "Unpublish API service integration",
               std::move(detail));
}
}  // namespace

void register_review(ApiRouter& r) {
  using M = http::Method;
  // Operator only (checked in each handler: a SUPER_ADMIN of the first org); the scopes are the
  // submissions' (okta.manifests.read / .manage).
  domain::Permission read{domain::Resource::manifests, domain::Action::read};
  domain::Permission manage{domain::Resource::manifests, domain::Action::manage};
  r.add(M::get, "/api/v1/review/submissions", {read, list});
  r.add(M::get, "/api/v1/review/submissions/{submissionId}", {read, get});
  r.add(M::post, "/api/v1/review/submissions/{submissionId}/approve", {manage, approve});
  r.add(M::post, "/api/v1/review/submissions/{submissionId}/reject", {manage, reject});
  r.add(M::post, "/api/v1/review/submissions/{submissionId}/unpublish", {manage, unpublish});
}

}  // namespace gh::api::integrations
