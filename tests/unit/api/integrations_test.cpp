// API service integrations, vendor side (issue 15): the rules of a submission as a draft and as
// a complete submission, the integration key, the logo's image check and the multipart parser.
// Table-driven: each row is one body and the causes it must (or must not) produce.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <string>
#include <vector>

#include "api/integrations/logo.hpp"
#include "api/integrations/submission.hpp"
#include "domain/permissions.hpp"
#include "http/multipart.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

bool has_cause(const std::vector<std::string>& causes, std::string_view prefix) {
  for (auto& c : causes)
    if (c.starts_with(prefix)) return true;
  return false;
}

TEST(IntegrationKey, LowercaseLettersDigitsUnderscoreUpTo64) {
  struct Case {
    std::string key;
    bool ok;
  } cases[] = {
      {"acme_crm", true},       {"a", true},         {"x1_2", true},       {std::string(64, 'a'), true},
      {"", false},              {"Acme", false},     {"acme-crm", false},  {"acme crm", false},
      {"acme.crm", false},      {"é", false},        {std::string(65, 'a'), false},
  };
  for (auto& c : cases) EXPECT_EQ(is_integration_key(c.key), c.ok) << c.key;
}

TEST(IntegrationPermissions, ManifestsByRole) {
  using domain::Action;
  using domain::Resource;
  struct Case {
    std::string_view role;
    bool read, manage;
  } cases[] = {
      {"SUPER_ADMIN", true, true},      {"ORG_ADMIN", true, true},  {"APP_ADMIN", true, true},
      {"READ_ONLY_ADMIN", true, false}, {"USER_ADMIN", false, false}, {"HELP_DESK_ADMIN", false, false},
      {"API_ACCESS_MANAGEMENT_ADMIN", false, false}, {"REPORT_ADMIN", false, false},
  };
  for (auto& c : cases) {
    auto p = domain::permissions_of_role(c.role);
    EXPECT_EQ(p.allows({Resource::manifests, Action::read}), c.read) << c.role;
    EXPECT_EQ(p.allows({Resource::manifests, Action::manage}), c.manage) << c.role;
  }
  EXPECT_EQ((domain::Permission{Resource::manifests, Action::manage}.scope()), "okta.manifests.manage");
}

TEST(IntegrationScopes, OnlyOktaScopesOfThisServer) {
  EXPECT_TRUE(is_okta_scope("okta.users.read"));
  EXPECT_TRUE(is_okta_scope("okta.groups.manage"));
  EXPECT_TRUE(is_okta_scope("okta.manifests.read"));
  EXPECT_FALSE(is_okta_scope("okta.users.write"));
  EXPECT_FALSE(is_okta_scope("okta.nothing.read"));
  EXPECT_FALSE(is_okta_scope("openid"));
  EXPECT_FALSE(is_okta_scope(""));
}

TEST(SubmissionDraft, ChecksWhatIsPresent) {
  struct Case {
    const char* body;
    std::vector<std::string> causes;  // prefixes of the expected causes, in any order; {} = valid
  } cases[] = {
      {R"({})", {}},
      {R"({"name":"Acme CRM"})", {}},
      {R"({"name":""})", {"name:"}},
      {R"({"name":7})", {"name:"}},
      {R"({"description":7})", {"description:"}},
      {R"j({"logo":"javascript:alert(1)"})j", {"logo:"}},
      {R"({"logo":"https://x.example/l.png"})", {}},
      {R"({"appContactDetails":{}})", {"appContactDetails:"}},
      {R"({"appContactDetails":[{"contactType":"CUSTOMER_SUPPORT","contactValueType":"EMAIL","contact":"a@b.c"}]})", {}},
      {R"({"appContactDetails":[{"contactType":"NOPE","contactValueType":"FAX","contact":""}]})",
       {"appContactDetails[0].contactType:", "appContactDetails[0].contactValueType:", "appContactDetails[0].contact:"}},
      {R"({"apiService":[]})", {"apiService:"}},
      {R"({"apiService":{"scopes":[{"scope":"okta.users.read","reason":"sync"}],"configGuideUrl":"https://x.example/g"}})", {}},
      {R"({"apiService":{"scopes":[{"scope":"okta.users.read"}]}})", {}},  // a reason is checked on submit
      {R"({"apiService":{"scopes":[{"scope":"okta.users.write","reason":"x"}]}})", {"apiService.scopes[0].scope:"}},
      {R"({"apiService":{"scopes":[{"scope":"openid","reason":"x"}]}})", {"apiService.scopes[0].scope:"}},
      {R"({"apiService":{"scopes":[{"scope":"okta.users.read","reason":"a"},{"scope":"okta.users.read","reason":"b"}]}})",
       {"apiService.scopes[1].scope:"}},
      {R"({"apiService":{"scopes":"okta.users.read"}})", {"apiService.scopes:"}},
      {R"({"apiService":{"configGuideUrl":5}})", {"apiService.configGuideUrl:"}},
      {R"({"name":"","description":1,"logo":"x","apiService":{"scopes":[{"scope":"bad"}]}})",
       {"name:", "description:", "logo:", "apiService.scopes[0].scope:"}},
  };
  for (auto& c : cases) {
    auto r = check_draft(obj(c.body));
    EXPECT_EQ(r.causes.size(), c.causes.size()) << c.body;
    for (auto& want : c.causes) EXPECT_TRUE(has_cause(r.causes, want)) << c.body << " lacks " << want;
  }
}

TEST(SubmissionDraft, NameAndDescriptionLimitsCountCharacters) {
  std::string name64;
  for (int i = 0; i < 64; ++i) name64 += "é";  // 64 characters, 128 bytes
  EXPECT_TRUE(check_draft(json::object{{"name", name64}}).causes.empty());
  EXPECT_FALSE(check_draft(json::object{{"name", name64 + "x"}}).causes.empty());
  EXPECT_TRUE(check_draft(json::object{{"description", std::string(1024, 'd')}}).causes.empty());
  EXPECT_FALSE(check_draft(json::object{{"description", std::string(1025, 'd')}}).causes.empty());
}

TEST(SubmissionDraft, KeepsOnlyVendorFields) {
  auto r = check_draft(obj(R"({"name":"A","status":"PUBLISHED","id":"x","_gh":{"v":1},"lastPublished":"t"})"));
  EXPECT_TRUE(r.causes.empty());
  EXPECT_EQ(r.fields.size(), 1u);
  EXPECT_TRUE(r.fields.contains("name"));
}

constexpr const char* kComplete = R"({"name":"Acme","description":"CRM sync","logo":"L",
  "appContactDetails":[{"contactType":"CUSTOMER_SUPPORT","contactValueType":"EMAIL","contact":"a@b.c"}],
  "apiService":{"scopes":[{"scope":"okta.users.read","reason":"sync users"}],"configGuideUrl":"https://acme.example/guide"}})";

TEST(SubmissionComplete, NamesEveryMissingField) {
  auto uploaded = [](std::string_view url) { return url == "L"; };
  EXPECT_TRUE(check_complete(obj(kComplete), uploaded).empty());
  auto all = check_complete(obj("{}"), uploaded);
  for (auto want : {"name:", "description:", "logo:", "appContactDetails:", "apiService.scopes:",
                    "apiService.configGuideUrl:"})
    EXPECT_TRUE(has_cause(all, want)) << want;
  EXPECT_EQ(all.size(), 6u);

  struct Case {
    const char* change;  // a member replacing the complete body's
    const char* cause;
  } cases[] = {
      {R"({"logo":"https://elsewhere.example/l.png"})", "logo:"},
      {R"({"appContactDetails":[]})", "appContactDetails:"},
      {R"({"apiService":{"scopes":[],"configGuideUrl":"https://a.example"}})", "apiService.scopes:"},
      {R"({"apiService":{"scopes":[{"scope":"okta.users.read","reason":""},{"scope":"okta.groups.read"}],"configGuideUrl":"https://a.example"}})",
       "apiService.scopes[0].reason:"},
      {R"({"apiService":{"scopes":[{"scope":"okta.users.read","reason":"r"}],"configGuideUrl":"http://a.example/g"}})",
       "apiService.configGuideUrl:"},
      {R"({"apiService":{"scopes":[{"scope":"okta.users.read","reason":"r"}],"configGuideUrl":"https://"}})",
       "apiService.configGuideUrl:"},
  };
  for (auto& c : cases) {
    auto body = obj(kComplete);
    for (auto& [k, v] : obj(c.change)) body[k] = v;
    auto causes = check_complete(body, uploaded);
    EXPECT_TRUE(has_cause(causes, c.cause)) << c.change;
  }
  // Both scopes without a reason: one cause each.
  auto body = obj(kComplete);
  body["apiService"] = obj(R"({"scopes":[{"scope":"okta.users.read"},{"scope":"okta.groups.read","reason":""}],"configGuideUrl":"https://a.example"})");
  auto causes = check_complete(body, uploaded);
  EXPECT_TRUE(has_cause(causes, "apiService.scopes[0].reason:"));
  EXPECT_TRUE(has_cause(causes, "apiService.scopes[1].reason:"));
}

TEST(SubmissionStatus, EditableOnlyWhileDraftOrRejected) {
  EXPECT_TRUE(is_editable("DRAFT"));
  EXPECT_TRUE(is_editable("REJECTED"));
  EXPECT_FALSE(is_editable("SUBMITTED"));
  EXPECT_FALSE(is_editable("PUBLISHED"));
}

std::string png(std::size_t extra = 0) {
  std::string b("\x89PNG\r\n\x1a\n", 8);
  b += std::string("\0\0\0\x0dIHDR", 8);
  b += std::string(13 + 4, '\0');
  b += std::string(extra, 'z');
  return b;
}

TEST(LogoImage, PngBySignatureOnlyAndAtMostOneMiB) {
  EXPECT_EQ(check_image(png()), ImageCheck::png);
  EXPECT_EQ(check_image(png(kMaxLogoBytes - png().size())), ImageCheck::png);
  EXPECT_EQ(check_image(png(kMaxLogoBytes - png().size() + 1)), ImageCheck::too_large);
  EXPECT_EQ(check_image(""), ImageCheck::empty);
  EXPECT_EQ(check_image("GIF89a...."), ImageCheck::not_an_image);
  EXPECT_EQ(check_image(std::string("\x89PNG\r\n\x1a\n", 8) + "garbage-not-ihdr-chunk-xxxxxxxx"), ImageCheck::not_an_image);
  EXPECT_EQ(check_image(R"(<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>)"), ImageCheck::svg);
  EXPECT_EQ(check_image(R"(<?xml version="1.0"?><svg/>)"), ImageCheck::svg);
}

TEST(Multipart, FindsTheFilePart) {
  auto b = http::form_data_boundary("multipart/form-data; boundary=\"XyZ\"");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, "XyZ");
  EXPECT_FALSE(http::form_data_boundary("application/json"));
  EXPECT_FALSE(http::form_data_boundary("multipart/form-data"));
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"l.png\"\r\nContent-Type: image/png\r\n\r\n" +
      png() + "\r\n--XyZ--\r\n";
  auto parts = http::parse_form_data(body, "XyZ");
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "note");
  EXPECT_EQ((*parts)[0].data, "hello");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].filename, "l.png");
  EXPECT_EQ((*parts)[1].content_type, "image/png");
  EXPECT_EQ((*parts)[1].data, png());
  EXPECT_FALSE(http::parse_form_data("--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nno end", "XyZ"));
  EXPECT_FALSE(http::parse_form_data("nothing here", "XyZ"));
}

}  // namespace
}  // namespace gh::api::integrations
