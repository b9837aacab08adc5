// OrgModel's API tokens: loaded from a snapshot and from a token table filled beforehand (as
// start-up streams them, issue #5), then kept coherent by apply(): create, rename, revoke,
// and a deleted owner's tokens. Checked by id, by MAC, per owner and in id order.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "model/org_model.hpp"

namespace gh::model {
namespace {

class NullRenderer final : public Renderer {
 public:
  std::string render_user(std::string_view, const domain::User&) const override { return "{}"; }
  std::string render_group(std::string_view, const domain::Group&) const override { return "{}"; }
};

domain::ApiToken token(std::string id, std::string user_id, std::uint8_t mac_seed) {
  domain::ApiToken t;
  t.id = std::move(id), t.user_id = std::move(user_id);
  t.name = "token " + t.id;
  for (std::size_t i = 0; i < t.mac.size(); ++i) t.mac[i] = static_cast<std::uint8_t>(mac_seed * 31 + i);
  t.hint = "gth_api_abcd";
  t.created = t.last_updated = t.last_used = 1000 + mac_seed;
  return t;
}

domain::User user(std::string id) {
  domain::User u;
  u.id = id;
  u.status = domain::UserStatus::ACTIVE;
  u.profile = {{"login", id + "@x.io"}};
  return u;
}

std::vector<std::string> ids(const OrgModel& m) {
  std::vector<std::string> out;
  for (const auto& [id, e] : m.tokens()) out.emplace_back(id);
  return out;
}

class OrgModelTokens : public ::testing::Test {
 protected:
  void SetUp() override {
    store::OrgSnapshot snap;
    snap.org = {"00o1", "", "Org", 1};
    snap.users = {user("00ua"), user("00ub")};
    std::vector<domain::ApiToken> all;
    std::mt19937 rng(9);
    for (int i = 0; i < 40; ++i)
      all.push_back(token("00T" + std::to_string(100 + i), i % 3 ? "00ua" : "00ub", static_cast<std::uint8_t>(i)));
    std::shuffle(all.begin(), all.end(), rng);
    // Half streamed into a table in random order, half in the snapshot.
    TokenTable streamed;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (i % 2) snap.api_tokens.push_back(all[i]);
      else streamed.put(all[i]);
    }
    tokens_ = all;
    model_ = std::make_unique<OrgModel>(std::move(snap), "http://gh.test", renderer_, std::move(streamed));
  }

  void apply(store::Change c) {
    std::unique_lock lk(model_->mutex());
    model_->apply({std::move(c)});
  }

  NullRenderer renderer_;
  std::vector<domain::ApiToken> tokens_;
  std::unique_ptr<OrgModel> model_;
};

TEST_F(OrgModelTokens, LoadsEveryTokenInIdOrderFindableByIdAndMac) {
  std::vector<std::string> want;
  for (auto& t : tokens_) want.push_back(t.id);
  std::sort(want.begin(), want.end());
  EXPECT_EQ(ids(*model_), want);
  for (auto& t : tokens_) {
    auto* e = model_->token(t.id);
    ASSERT_NE(e, nullptr) << t.id;
    EXPECT_EQ(model_->token_by_mac(t.mac), e);
    EXPECT_EQ(e->user_id(), t.user_id);
    EXPECT_EQ(e->name(), t.name);
    EXPECT_EQ(e->last_used.load(), t.last_used);
  }
  EXPECT_EQ(model_->tokens_of(core::UserId{"00ub"}).size(), 14u);  // i = 0, 3, ..., 39
}

TEST_F(OrgModelTokens, ApplyCreatesRenamesAndRevokes) {
  auto fresh = token("00T050", "00ua", 200);  // sorts before every loaded id
  apply(store::PutApiToken{fresh});
  EXPECT_EQ(ids(*model_).front(), "00T050");
  EXPECT_EQ(model_->token_by_mac(fresh.mac), model_->token("00T050"));

  auto renamed = tokens_[5];
  renamed.name = "a name longer than twenty-three characters";
  renamed.last_used = 1;  // lastUsed never goes back
  apply(store::PutApiToken{renamed});
  auto* e = model_->token(renamed.id);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->name(), renamed.name);
  EXPECT_EQ(e->last_used.load(), tokens_[5].last_used);
  EXPECT_EQ(model_->token_by_mac(renamed.mac), e);

  auto revoked = tokens_[7];
  revoked.revoked = true;
  apply(store::PutApiToken{revoked});
  EXPECT_EQ(model_->token(revoked.id), nullptr);
  EXPECT_EQ(model_->token_by_mac(revoked.mac), nullptr);
  auto listed = ids(*model_);
  EXPECT_EQ(std::count(listed.begin(), listed.end(), revoked.id), 0);
  EXPECT_EQ(listed.size(), tokens_.size());  // one added, one revoked
  EXPECT_TRUE(std::is_sorted(listed.begin(), listed.end()));
}

TEST_F(OrgModelTokens, DeletingTheOwnerRemovesItsTokens) {
  apply(store::DeleteUser{"00ub"});
  EXPECT_TRUE(model_->tokens_of(core::UserId{"00ub"}).empty());
  for (auto& t : tokens_) {
    bool kept = t.user_id == "00ua";
    EXPECT_EQ(model_->token(t.id) != nullptr, kept) << t.id;
    EXPECT_EQ(model_->token_by_mac(t.mac) != nullptr, kept) << t.id;
  }
  EXPECT_EQ(model_->tokens().size(), 26u);
}

}  // namespace
}  // namespace gh::model
