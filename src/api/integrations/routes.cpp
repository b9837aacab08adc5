// ORG/integrations/api/v1/submissions (issue 15, vendor side; MGMT-OAS YourOinIntegrations):
// a vendor's API service integration submissions. Create (201), list (paged), get, replace and
// delete (only while DRAFT or REJECTED), submit (202 → SUBMITTED). Scopes okta.manifests.*.
// The operator's review (review.cpp) moves SUBMITTED → PUBLISHED/REJECTED and keeps its comments
// and the published copy under `_gh`, which the vendor reads at .../{id}/comments; a new version
// of a published integration is a POST of the same id (versions.hpp). The catalog and installs
// find a key's published copy through model::Directory::published.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/common/json_body.hpp"
#include "api/common/listing.hpp"
#include "api/common/pagination.hpp"
#include "api/common/respond.hpp"
#include "api/common/routes.hpp"
#include "api/integrations/instances.hpp"
#include "api/integrations/logo.hpp"
#include "api/integrations/routes.hpp"
#include "api/integrations/submission.hpp"
#include "api/integrations/versions.hpp"
#include "domain/json_fields.hpp"

namespace gh::api {
namespace integrations {
namespace {
namespace json = boost::json;
namespace kind = domain::kind;
using domain::str_member;

constexpr std::string_view kCollectionPath = "/integrations/api/v1/submissions";

std::string render(const domain::Document& d) { return render_submission(d); }

Result<const domain::Document*> find(Ctx& ctx, const std::string& id) {
  if (auto* d = ctx.org.doc(kind::submission, id)) return d;  // scoped to this org
  return not_found(id);
}

// Replace, delete and submit only while DRAFT or REJECTED (issue 15).
Result<void> check_editable(const domain::Document& d) {
  auto st = str_member(d.body, "status");
  if (is_editable(st)) return {};
  return validation_failed("status", {"status: The submission is " + std::string(st) +
                                      "; it can be changed only while DRAFT or REJECTED"});
}

// The new body: the vendor's fields, then what the server keeps (id, status, timestamps, _gh).
domain::Document with_fields(Ctx& ctx, const domain::Document* old, std::string id, json::object fields,
                             std::string_view st) {
  domain::Document d{std::string(kind::submission), std::move(id), "", std::move(fields)};
  auto& b = d.body;
  b["id"] = d.id;
  b["status"] = st;
  b["lastUpdated"] = iso(ctx.now());
  b["lastUpdatedBy"] = actor_id(ctx);
  json::object gh;
  if (old) {
    if (auto* p = old->body.if_contains("lastPublished")) b["lastPublished"] = *p;
    if (auto* g = old->body.if_contains("_gh"); g && g->is_object()) gh = g->get_object();
  }
  auto* v = gh.if_contains("version");
  gh["version"] = (v && v->is_int64() ? v->get_int64() : 0) + 1;  // one more per vendor write
  b["_gh"] = std::move(gh);
  return d;
}

Result<http::Response> list(Ctx& ctx) {
  auto page = parse_page(ctx.query, 20, 200);
  if (!page) return page.error();
  std::deque<std::string> rendered;
  auto out = collect_page(
      ctx.org.docs(kind::submission), *page, [](const auto&) { return true; },
      [](const domain::Document& d) { return render(d); }, rendered);
  auto res = ok_json(json_array(out.items));
  set_links(res, ctx.org.url(), kCollectionPath, ctx.query, out.next_after);
  return res;
}

Result<http::Response> create(Ctx& ctx) {
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  auto check = check_draft(*body);
  std::string id;
  if (auto* v = body->if_contains("id"); !v || !v->is_string() || !is_integration_key(v->get_string()))
    check.causes.insert(check.causes.begin(), "id: Must be 1 to 64 characters of a-z, 0-9 and _");
  else id = std::string(v->get_string());
  if (!check.fields.contains("name")) check.causes.push_back("name: The field cannot be left blank");
  // A new version of this org's PUBLISHED integration is a new submission of the same id
  // (versions.hpp); any other existing key is refused. The key is unique across the server: the
  // Directory's index covers every org, and this runs on the one writer thread, so nothing can
  // take the key between this check and the commit.
  const domain::Document* old = id.empty() ? nullptr : ctx.org.doc(kind::submission, id);
  bool new_version = old && str_member(old->body, "status") == status::published;
  if (!id.empty() && !new_version && (ctx.deps.directory.integration_owner(id) || old))
    check.causes.insert(check.causes.begin(), "id: An integration with this key already exists");
  if (!check.causes.empty()) return validation_failed("submission", std::move(check.causes));
  // with_fields keeps the old document's `_gh` (published copy, comments) and lastPublished.
  auto doc = with_fields(ctx, new_version ? old : nullptr, id, std::move(check.fields), status::draft);
  if (auto r = commit(ctx, {store::PutDocument{std::move(doc)}}); !r) return r.error();
  return ok_json(render(*ctx.org.doc(kind::submission, id)), 201);  // MGMT-OAS createSubmission 201
}

Result<http::Response> get(Ctx& ctx) {
  auto d = find(ctx, ctx.params[0]);
  if (!d) return d.error();
  return ok_json(render(**d));
}

Result<http::Response> replace(Ctx& ctx) {
  auto d = find(ctx, ctx.params[0]);
  if (!d) return d.error();
  if (auto e = check_editable(**d); !e) return e.error();
  auto body = parse_object_body(ctx.req.body, ctx.deps.limits.max_json_depth);
  if (!body) return body.error();
  auto check = check_draft(*body);
  if (auto* v = body->if_contains("id"); v && !(v->is_string() && v->get_string() == (*d)->id))
    check.causes.insert(check.causes.begin(), "id: The key of a submission cannot be changed");
  if (!check.fields.contains("name")) check.causes.push_back("name: The field cannot be left blank");
  if (!check.causes.empty()) return validation_failed("submission", std::move(check.causes));
  auto doc = with_fields(ctx, *d, (*d)->id, std::move(check.fields), str_member((*d)->body, "status"));
  auto id = doc.id;
  if (auto r = commit(ctx, {store::PutDocument{std::move(doc)}}); !r) return r.error();
  return ok_json(render(*ctx.org.doc(kind::submission, id)));
}

// Deleting the working version of a published integration reverts it to the published copy
// (versions.hpp); a never-published submission is deleted.
Result<http::Response> remove(Ctx& ctx) {
  auto d = find(ctx, ctx.params[0]);
  if (!d) return d.error();
  if (auto e = check_editable(**d); !e) return e.error();
  if (was_published((*d)->body)) {
    domain::Document back{std::string(kind::submission), (*d)->id, "", reverted_to_published((*d)->body)};
    back.body["lastUpdated"] = iso(ctx.now());
    back.body["lastUpdatedBy"] = actor_id(ctx);
    if (auto r = commit(ctx, {store::PutDocument{std::move(back)}}); !r) return r.error();
    return no_content();
  }
  if (auto r = commit(ctx, {store::DeleteDocument{std::string(kind::submission), (*d)->id}}); !r) return r.error();
  return no_content();
}

// GET .../{id}/comments: the operator's review comments, oldest first ({comment, author, action,
// created}; `author` is the operator's user or client id, as the vendor's System Log names it).
Result<http::Response> comments(Ctx& ctx) {
  auto d = find(ctx, ctx.params[0]);
  if (!d) return d.error();
  json::array out;
  auto* gh = (*d)->body.if_contains("_gh");
  auto* list = gh && gh->is_object() ? gh->get_object().if_contains("comments") : nullptr;
  if (list && list->is_array())
    for (auto& c : list->get_array())
      if (auto* o = c.if_object())
        out.push_back(json::object{{"comment", str_member(*o, "comment")},
                                   {"author", str_member(*o, "author")},
                                   {"action", str_member(*o, "action")},
                                   {"created", str_member(*o, "created")}});
  return ok_json(json::serialize(out));
}

// POST .../{id}/submit: 202 and SUBMITTED, or 400 naming every missing or invalid field.
Result<http::Response> submit(Ctx& ctx) {
  auto d = find(ctx, ctx.params[0]);
  if (!d) return d.error();
  if (auto e = check_editable(**d); !e) return e.error();
  auto causes = check_complete((*d)->body, [&](std::string_view url) { return is_uploaded_logo(ctx.org, url); });
  if (!causes.empty()) return validation_failed("submission", std::move(causes));
  json::object fields = (*d)->body;
  fields.erase("_gh");
  auto doc = with_fields(ctx, *d, (*d)->id, std::move(fields), status::submitted);
  doc.body.at("_gh").as_object()["submitted"] = iso(ctx.now());
  if (auto r = commit(ctx, {store::PutDocument{std::move(doc)}}); !r) return r.error();
  return http::Response::empty(202);  // MGMT-OAS submitSubmission: 202, no body
}
}  // namespace

std::string render_submission(const domain::Document& d) {
  json::object o = d.body;
  o.erase("_gh");  // private members (docs/oauth-documents.md)
  return json::serialize(o);
}

std::string actor_id(const Ctx& ctx) {
  return ctx.principal.type == CredentialType::ssws ? ctx.principal.user_id : ctx.principal.client_id;
}
}  // namespace integrations

void register_integrations(ApiRouter& r) {
  using M = http::Method;
  using namespace integrations;
  domain::Permission read{domain::Resource::manifests, domain::Action::read};
  domain::Permission manage{domain::Resource::manifests, domain::Action::manage};
  r.add(M::get, "/integrations/api/v1/submissions", {read, list});
  r.add(M::post, "/integrations/api/v1/submissions", {manage, create});
  // multipart/form-data, not JSON (MGMT-OAS uploadSubmissionLogo); registered before {id}.
  r.add(M::post, "/integrations/api/v1/submissions/logo", {manage, upload_logo, true});
  r.add(M::get, "/integrations/api/v1/submissions/{submissionId}", {read, get});
  r.add(M::put, "/integrations/api/v1/submissions/{submissionId}", {manage, replace});
  r.add(M::delete_, "/integrations/api/v1/submissions/{submissionId}", {manage, remove});
  r.add(M::post, "/integrations/api/v1/submissions/{submissionId}/submit", {manage, submit});
  r.add(M::get, "/integrations/api/v1/submissions/{submissionId}/comments", {read, comments});
  register_review(r);
  register_catalog(r);
  // Customer side and the vendor's test instance (instances.hpp).
  register_test_instance(r);
  register_api_services(r);
  register_instance_secrets(r);
  register_consent(r);
}

}  // namespace gh::api
