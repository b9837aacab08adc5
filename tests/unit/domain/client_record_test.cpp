// domain::ClientRecord: an app document's settings as the token endpoint reads them; a missing or
// mistyped member reads as absent, as the JSON-path reads it replaced did.
#include "domain/client_record.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace gh::domain {
namespace {

ClientRecord record(std::string_view json) { return parse_client_record(boost::json::parse(json).as_object()); }

TEST(ClientRecord, ReadsEachSettingAndTreatsMissingOrMistypedMembersAsAbsent) {
  auto full = record(R"({"status":"ACTIVE",
      "credentials":{"oauthClient":{"token_endpoint_auth_method":"client_secret_basic"}},
      "settings":{"oauthClient":{"application_type":"service","grant_types":["client_credentials",7],
                                 "dpop_bound_access_tokens":true,"jwks_uri":"https://k.example/j"}}})");
  EXPECT_TRUE(full.active);
  EXPECT_EQ(full.token_endpoint_auth_method, "client_secret_basic");
  EXPECT_TRUE(full.is_service);
  EXPECT_EQ(full.grant_types, (std::vector<std::string>{"client_credentials"}));
  EXPECT_TRUE(full.allows_grant_type("client_credentials"));
  EXPECT_FALSE(full.allows_grant_type("refresh_token"));
  EXPECT_TRUE(full.dpop_bound_access_tokens);
  EXPECT_EQ(full.jwks_uri, "https://k.example/j");

  struct Case {
    std::string_view name, json;
  };
  for (auto c : {Case{"empty", "{}"},
                 Case{"mistyped", R"({"status":1,"credentials":[],"settings":{"oauthClient":{
                     "application_type":true,"grant_types":"client_credentials",
                     "dpop_bound_access_tokens":"true","jwks_uri":{}}}})"},
                 Case{"inactive", R"({"status":"INACTIVE","settings":"x"})"}}) {
    SCOPED_TRACE(c.name);
    auto r = record(c.json);
    EXPECT_FALSE(r.active);
    EXPECT_EQ(r.token_endpoint_auth_method, "");
    EXPECT_FALSE(r.is_service);
    EXPECT_EQ(r.grant_types, std::nullopt);
    EXPECT_TRUE(r.allows_grant_type("anything"));  // no grant_types array: none refused
    EXPECT_FALSE(r.dpop_bound_access_tokens);
    EXPECT_EQ(r.jwks_uri, "");
  }
  EXPECT_FALSE(record(R"({"settings":{"oauthClient":{"grant_types":[]}}})").allows_grant_type("client_credentials"));
}

}  // namespace
}  // namespace gh::domain
