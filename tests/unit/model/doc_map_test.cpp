// model::DocMap: documents of one kind by id and by parent; stored bodies (JSON text) are parsed
// on first read, once, also when readers race; changes replace, move and delete documents.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <string>
#include <thread>
#include <vector>

#include "model/doc_map.hpp"

namespace gh::model {
namespace {

std::vector<std::string> ids_of(const std::vector<const domain::Document*>& docs) {
  std::vector<std::string> out;
  for (auto* d : docs) out.push_back(d->id);
  return out;
}

void stored(DocMap& m, std::string_view id, std::string_view parent, std::string body) {
  m.put_stored(core::SmallString(id), core::SmallString(parent), std::move(body));
}

TEST(DocMap, StoredBodiesParseWhenFirstRead) {
  DocMap m("client_secret");
  stored(m, "s2", "app1", R"({"status":"ACTIVE","n":2})");
  stored(m, "s1", "app1", R"({"status":"INACTIVE"})");
  stored(m, "s3", "app2", "not json");
  auto* d = m.find("s2");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->kind, "client_secret");
  EXPECT_EQ(d->id, "s2");
  EXPECT_EQ(d->parent, "app1");
  EXPECT_EQ(boost::json::serialize(d->body), R"({"status":"ACTIVE","n":2})");
  EXPECT_EQ(m.find("s2"), d);  // parsed once
  EXPECT_TRUE(m.find("s3")->body.empty());  // as the store read a broken body: {}
  EXPECT_EQ(m.find("nope"), nullptr);
  EXPECT_EQ(ids_of(m.children("app1")), (std::vector<std::string>{"s1", "s2"}));
  std::string order;
  for (auto it = m.begin(); it != m.end(); ++it) order += std::string(it->first) + "=" + it->second.id + " ";
  EXPECT_EQ(order, "s1=s1 s2=s2 s3=s3 ");
  EXPECT_EQ(m.upper_bound("s1")->first, "s2");
}

TEST(DocMap, RacingReadersGetTheSameDocument) {
  DocMap m("app");
  for (int i = 0; i < 200; ++i) stored(m, "a" + std::to_string(1000 + i), "", R"({"label":"x"})");
  std::vector<std::vector<const domain::Document*>> seen(4);
  std::vector<std::thread> readers;
  for (auto& s : seen)
    readers.emplace_back([&m, &s] {
      for (int i = 0; i < 200; ++i) s.push_back(m.find("a" + std::to_string(1000 + i)));
    });
  for (auto& t : readers) t.join();
  for (auto& s : seen) EXPECT_EQ(s, seen[0]);
  EXPECT_EQ(seen[0][7]->body.at("label"), "x");
}

TEST(DocMap, PutReplacesAndMovesBetweenParents) {
  DocMap m("app_key");
  stored(m, "k1", "appA", R"({"v":1})");
  m.put({"app_key", "k1", "appB", {{"v", 2}}});  // a change: new body and parent
  EXPECT_EQ(m.find("k1")->body.at("v"), 2);
  EXPECT_EQ(m.find("k1")->parent, "appB");
  EXPECT_TRUE(m.children("appA").empty());
  EXPECT_EQ(ids_of(m.children("appB")), std::vector<std::string>{"k1"});
  m.put({"app_key", "k0", "appB", {{"v", 0}}});
  EXPECT_EQ(ids_of(m.children("appB")), (std::vector<std::string>{"k0", "k1"}));
  EXPECT_EQ(m.size(), 2u);
}

TEST(DocMap, EraseAndEraseChildren) {
  DocMap m("client_secret");
  stored(m, "s1", "app1", "{}");
  stored(m, "s2", "app1", "{}");
  stored(m, "s3", "app2", "{}");
  m.erase("s1");
  EXPECT_EQ(m.find("s1"), nullptr);
  EXPECT_EQ(ids_of(m.children("app1")), std::vector<std::string>{"s2"});
  m.erase_children("app1");
  EXPECT_EQ(m.find("s2"), nullptr);
  EXPECT_TRUE(m.children("app1").empty());
  EXPECT_NE(m.find("s3"), nullptr);
  EXPECT_EQ(m.size(), 1u);
}

}  // namespace
}  // namespace gh::model

namespace gh::model {
namespace {

// An app's typed client record is parsed with its body, once, and replaced with it.
TEST(DocMap, AppsCarryTheirClientRecordParsedWithTheBody) {
  DocMap apps("app");
  apps.put_stored(core::SmallString("0oa1"), core::SmallString(""),
                  R"({"status":"ACTIVE","credentials":{"oauthClient":{"token_endpoint_auth_method":"private_key_jwt"}},)"
                  R"("settings":{"oauthClient":{"jwks_uri":"https://k.example/jwks"}}})");
  auto* p = apps.find_parsed("0oa1");
  ASSERT_NE(p, nullptr);
  ASSERT_NE(p->client, nullptr);
  EXPECT_EQ(&p->doc, apps.find("0oa1"));
  EXPECT_TRUE(p->client->active);
  EXPECT_EQ(p->client->token_endpoint_auth_method, "private_key_jwt");
  EXPECT_EQ(p->client->jwks_uri, "https://k.example/jwks");
  EXPECT_EQ(apps.find_parsed("0oa1")->client.get(), p->client.get());  // parsed once

  apps.put({"app", "0oa1", "", {{"status", "INACTIVE"}}});  // an app change replaces it
  auto* changed = apps.find_parsed("0oa1");
  ASSERT_NE(changed->client, nullptr);
  EXPECT_FALSE(changed->client->active);
  EXPECT_EQ(changed->client->token_endpoint_auth_method, "");

  DocMap secrets("client_secret");  // other kinds have none
  secrets.put({"client_secret", "s1", "0oa1", {{"status", "ACTIVE"}}});
  EXPECT_EQ(secrets.find_parsed("s1")->client, nullptr);
}

}  // namespace
}  // namespace gh::model

namespace gh::model {
namespace {

// An app's secrets, keys and scope grants carry what the token endpoint matches, parsed once.
TEST(DocMap, AppChildrenCarryTheirMatchParsedWithTheBody) {
  DocMap secrets("client_secret"), keys("app_key"), grants("scope_grant"), scopes("as_scope");
  secrets.put({"client_secret", "s1", "0oa1", {{"status", "ACTIVE"}, {"_gh", {{"mac", "AAEC"}}}}});
  secrets.put_stored(core::SmallString("s2"), core::SmallString("0oa1"), R"({"status":"INACTIVE","_gh":{"mac":"%%"}})");
  keys.put({"app_key", "k1", "0oa1", {{"status", "ACTIVE"}, {"kid", "kid-1"}}});
  grants.put({"scope_grant", "g1", "0oa1", {{"status", "ACTIVE"}, {"scopeId", "okta.users.read"}}});
  scopes.put({"as_scope", "sc1", "default", {{"name", "x"}}});

  auto s = secrets.children_parsed("0oa1");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_TRUE(s[0]->child->active);
  EXPECT_EQ(s[0]->child->match, std::string("\x00\x01\x02", 3));  // base64url-decoded
  EXPECT_FALSE(s[1]->child->active);
  EXPECT_EQ(s[1]->child->match, "");  // malformed: matches nothing
  EXPECT_EQ(keys.find_parsed("k1")->child->match, "kid-1");
  EXPECT_EQ(grants.find_parsed("g1")->child->match, "okta.users.read");
  EXPECT_EQ(scopes.find_parsed("sc1")->child, nullptr);
  EXPECT_EQ(keys.find_parsed("k1")->client, nullptr);
}

}  // namespace
}  // namespace gh::model
