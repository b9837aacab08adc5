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

}  // namespace
}  // namespace gh::model
