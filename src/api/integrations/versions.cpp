#include "api/integrations/versions.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <set>

#include "api/integrations/submission.hpp"
#include "domain/json_fields.hpp"

namespace gh::api::integrations {
namespace json = boost::json;
namespace {

// What check_draft accepts from the vendor: the members a version is made of.
constexpr std::string_view kVendorMembers[] = {"name", "description", "logo", "appContactDetails", "apiService"};
// What a published copy holds (appContactDetails stay the working version's).
constexpr std::string_view kPublishedMembers[] = {"name", "description", "logo", "apiService"};

const json::object* gh_of(const json::object& body) {
  auto* g = body.if_contains("_gh");
  return g && g->is_object() ? &g->get_object() : nullptr;
}

const json::object* published_of(const json::object& body) {
  auto* g = gh_of(body);
  auto* p = g ? g->if_contains("published") : nullptr;
  return p && p->is_object() ? &p->get_object() : nullptr;
}

std::vector<std::string> scopes_of(const json::object& body) {
  std::vector<std::string> out;
  auto* s = body.if_contains("apiService");
  auto* a = s && s->is_object() ? s->get_object().if_contains("scopes") : nullptr;
  if (!a || !a->is_array()) return out;
  for (auto& e : a->get_array())
    if (auto* o = e.if_object(); o && !domain::str_member(*o, "scope").empty())
      out.emplace_back(domain::str_member(*o, "scope"));
  return out;
}
}  // namespace

bool was_published(const json::object& body) { return published_of(body) != nullptr; }

json::object reverted_to_published(const json::object& old) {
  auto* p = published_of(old);
  if (!p) return {};
  json::object b = old;
  for (auto k : kVendorMembers)
    if (k != "appContactDetails") b.erase(k);
  for (auto k : kPublishedMembers)
    if (auto* v = p->if_contains(k)) b[k] = *v;
  b["status"] = status::published;
  return b;
}

json::object published_snapshot(const json::object& body, std::int64_t version, std::string_view published_at,
                                const domain::PublishedIntegration* prev) {
  json::object p;
  for (auto k : kPublishedMembers)
    if (auto* v = body.if_contains(k)) p[k] = *v;
  json::object since;
  for (auto& s : scopes_of(body)) {
    bool declared_before = prev && std::any_of(prev->scopes.begin(), prev->scopes.end(),
                                               [&](const domain::DeclaredScope& d) { return d.scope == s; });
    if (!declared_before) {
      since[s] = published_at;
    } else if (auto it = prev->scope_since.find(s); it != prev->scope_since.end()) {
      since[s] = it->second;
    }  // else declared since before scopeSince was recorded: every grant stays in force
  }
  p["scopeSince"] = std::move(since);
  p["version"] = version;
  p["publishedAt"] = published_at;
  p["listed"] = true;
  p["revoked"] = false;
  return p;
}

ScopeDiff scope_diff(const json::object& working, const domain::PublishedIntegration* published) {
  ScopeDiff d;
  std::set<std::string, std::less<>> before, now;
  if (published)
    for (auto& s : published->scopes) before.insert(s.scope);
  auto mine = scopes_of(working);
  for (auto& s : mine) {
    now.insert(s);
    (before.count(s) ? d.unchanged : d.added).push_back(s);
  }
  if (published)
    for (auto& s : published->scopes)
      if (!now.count(s.scope)) d.removed.push_back(s.scope);
  return d;
}

json::object to_json(const ScopeDiff& d) {
  auto arr = [](const std::vector<std::string>& v) {
    json::array a;
    for (auto& s : v) a.emplace_back(s);
    return a;
  };
  return {{"added", arr(d.added)}, {"removed", arr(d.removed)}, {"unchanged", arr(d.unchanged)}};
}

void add_comment(json::object& body, std::string_view comment, std::string_view author, std::string_view created,
                 std::string_view action) {
  auto& gh = body["_gh"];
  if (!gh.is_object()) gh = json::object{};
  auto& list = gh.as_object()["comments"];
  if (!list.is_array()) list = json::array{};
  list.as_array().push_back(
      json::object{{"comment", comment}, {"author", author}, {"created", created}, {"action", action}});
}

bool is_valid_comment(std::string_view c) {
  if (c.empty()) return false;
  std::size_t n = 0;
  for (unsigned char ch : c) {
    n += (ch & 0xC0) != 0x80;
    if ((ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') || ch == 0x7F) return false;
  }
  return n <= kMaxComment;
}

}  // namespace gh::api::integrations
