// model::Directory's server-wide index of integration keys (issue 15): built from each org as it
// is added, kept as orgs apply `submission` documents, and a delete frees only the owner's key.
#include <gtest/gtest.h>

#include "model/directory.hpp"

namespace gh::model {
namespace {

class NullRenderer final : public Renderer {
 public:
  std::string render_user(std::string_view, const domain::User&) const override { return "{}"; }
  std::string render_group(std::string_view, const domain::Group&) const override { return "{}"; }
};

std::unique_ptr<OrgModel> org(const NullRenderer& r, std::string id, std::string slug,
                              std::vector<domain::Document> docs = {}) {
  store::OrgSnapshot s;
  s.org.id = id;
  s.org.slug = slug;
  s.documents = std::move(docs);
  return std::make_unique<OrgModel>(std::move(s), "http://x/" + slug, r);
}

domain::Document submission(std::string key) {
  return {std::string(domain::kind::submission), std::move(key), "", {{"status", "DRAFT"}}};
}

TEST(DirectoryIntegrations, IndexFollowsLoadsAndAppliedChanges) {
  NullRenderer r;
  Directory dir;
  auto& a = dir.add(org(r, "00oA", "", {submission("loaded")}));
  auto& b = dir.add(org(r, "00oB", "b"));
  EXPECT_EQ(dir.integration_owner("loaded"), core::OrgId{"00oA"});
  EXPECT_FALSE(dir.integration_owner("fresh"));

  b.apply({store::PutDocument{submission("fresh")}});
  EXPECT_EQ(dir.integration_owner("fresh"), core::OrgId{"00oB"});
  // Another kind with the same id is not an integration.
  a.apply({store::PutDocument{{std::string(domain::kind::app), "other", "", {}}}});
  EXPECT_FALSE(dir.integration_owner("other"));
  // Only the owner's delete frees a key.
  a.apply({store::DeleteDocument{std::string(domain::kind::submission), "fresh"}});
  EXPECT_EQ(dir.integration_owner("fresh"), core::OrgId{"00oB"});
  b.apply({store::DeleteDocument{std::string(domain::kind::submission), "fresh"}});
  EXPECT_FALSE(dir.integration_owner("fresh"));
  auto all = dir.integrations();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].first, "loaded");
}

domain::Document published_submission(std::string key, std::int64_t version, bool listed = true) {
  auto d = submission(std::move(key));
  d.body["status"] = "PUBLISHED";
  d.body["_gh"] = boost::json::object{
      {"published",
       {{"name", "Acme Sync"},
        {"description", "Syncs users"},
        {"logo", "https://x/logo.png"},
        {"apiService",
         {{"scopes", boost::json::array{{{"scope", "okta.users.read"}, {"reason", "read users"}}}},
          {"configGuideUrl", "https://acme.example/guide"}}},
        {"version", version},
        {"publishedAt", "2026-01-01T00:00:00.000Z"},
        {"listed", listed},
        {"revoked", false}}}};
  return d;
}

TEST(DirectoryIntegrations, PublishedCopyFollowsLoadsAndAppliedChanges) {
  NullRenderer r;
  Directory dir;
  auto& a = dir.add(org(r, "00oA", "", {published_submission("loaded", 1), submission("draft_only")}));
  auto& b = dir.add(org(r, "00oB", "b"));
  auto p = dir.published("loaded");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->key, "loaded");
  EXPECT_EQ(p->vendor_org, core::OrgId{"00oA"});
  EXPECT_EQ(p->name, "Acme Sync");
  EXPECT_EQ(p->description, "Syncs users");
  EXPECT_EQ(p->logo, "https://x/logo.png");
  EXPECT_EQ(p->config_guide_url, "https://acme.example/guide");
  ASSERT_EQ(p->scopes.size(), 1u);
  EXPECT_EQ(p->scopes[0].scope, "okta.users.read");
  EXPECT_EQ(p->scopes[0].reason, "read users");
  EXPECT_EQ(p->version, 1);
  EXPECT_EQ(p->published_at, "2026-01-01T00:00:00.000Z");
  EXPECT_TRUE(p->listed);
  EXPECT_FALSE(p->revoked);
  EXPECT_FALSE(dir.published("draft_only"));  // never published
  EXPECT_FALSE(dir.published("nothing"));

  // A new approval replaces the copy; a reader keeps the snapshot it holds.
  a.apply({store::PutDocument{published_submission("loaded", 2, false)}});
  EXPECT_EQ(p->version, 1);
  ASSERT_TRUE(dir.published("loaded"));
  EXPECT_EQ(dir.published("loaded")->version, 2);
  EXPECT_FALSE(dir.published("loaded")->listed);
  // Another org writing the same key (never allowed by the API) does not take it over.
  b.apply({store::PutDocument{published_submission("loaded", 9)}});
  EXPECT_EQ(dir.published("loaded")->version, 2);
  EXPECT_EQ(dir.published("loaded")->vendor_org, core::OrgId{"00oA"});
  // Publishing the draft-only submission shows it; a malformed copy (no version) hides it again.
  a.apply({store::PutDocument{published_submission("draft_only", 1)}});
  ASSERT_EQ(dir.published_all().size(), 2u);
  EXPECT_EQ(dir.published_all()[0]->key, "draft_only");  // by key
  EXPECT_EQ(dir.published_all()[1]->key, "loaded");
  a.apply({store::PutDocument{published_submission("draft_only", 0)}});
  EXPECT_FALSE(dir.published("draft_only"));
  // Deleting the document drops the copy.
  a.apply({store::DeleteDocument{std::string(domain::kind::submission), "loaded"}});
  EXPECT_FALSE(dir.published("loaded"));
  EXPECT_TRUE(dir.published_all().empty());
}

TEST(DomainIntegration, ParsePublishedNeedsNameAndVersion) {
  using domain::parse_published;
  EXPECT_FALSE(parse_published({{"version", 1}}, "k", core::OrgId{"o"}));
  EXPECT_FALSE(parse_published({{"name", "N"}}, "k", core::OrgId{"o"}));
  auto p = parse_published({{"name", "N"}, {"version", 3}, {"apiService", {{"scopes", boost::json::array{1, {{"reason", "x"}}}}}}},
                           "k", core::OrgId{"o"});
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->scopes.empty());  // malformed entries are skipped
  EXPECT_FALSE(p->listed);
  EXPECT_EQ(p->version, 3);
}

}  // namespace
}  // namespace gh::model
