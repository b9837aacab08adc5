// The integration manifest: template and local checks (issue 15's submission rules).
#include "cli/manifest.hpp"

#include <algorithm>

namespace gh::cli {
namespace json = boost::json;

namespace {
std::string str(const json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
bool is_key(std::string_view k) {
  return !k.empty() && k.size() <= 64 &&
         std::all_of(k.begin(), k.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}
bool is_https(std::string_view u) {
  return u.starts_with("https://") && u.size() > 8 && u.size() <= 1024 &&
         std::none_of(u.begin(), u.end(), [](char c) { return static_cast<unsigned char>(c) <= ' '; });
}
bool one_of(std::string_view v, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}
}  // namespace

json::object manifest_template(const std::string& key, const std::string& name) {
  return {{"id", key},
          {"name", name},
          {"description", ""},
          {"logo", "logo.png"},
          {"appContactDetails", json::array{json::object{{"contactType", "CUSTOMER_SUPPORT"},
                                                         {"contactValueType", "EMAIL"},
                                                         {"contact", ""}}}},
          {"apiService", json::object{{"scopes", json::array{json::object{{"scope", "okta.users.read"}, {"reason", ""}}}},
                                      {"configGuideUrl", ""}}}};
}

std::vector<std::string> check_manifest(const json::object& m) {
  std::vector<std::string> bad;
  if (!is_key(str(m, "id"))) bad.push_back("id: 1 to 64 characters of a-z, 0-9 and _");
  auto name = str(m, "name");
  if (name.empty() || name.size() > 64) bad.push_back("name: 1 to 64 characters");
  auto desc = str(m, "description");
  if (desc.empty() || desc.size() > 1024) bad.push_back("description: 1 to 1024 characters");
  if (str(m, "logo").empty()) bad.push_back("logo: a logo file beside the manifest, or an uploaded logo's URL");
  auto* contacts = m.if_contains("appContactDetails");
  if (!contacts || !contacts->is_array() || contacts->as_array().empty() || contacts->as_array().size() > 10) {
    bad.push_back("appContactDetails: 1 to 10 contacts");
  } else {
    std::size_t i = 0;
    for (auto& c : contacts->as_array()) {
      auto at = "appContactDetails[" + std::to_string(i++) + "]";
      if (!c.is_object()) {
        bad.push_back(at + ": an object");
        continue;
      }
      auto& o = c.as_object();
      if (!one_of(str(o, "contactType"), {"CUSTOMER_SUPPORT", "ESCALATION_SUPPORT"}))
        bad.push_back(at + ".contactType: CUSTOMER_SUPPORT or ESCALATION_SUPPORT");
      if (!one_of(str(o, "contactValueType"), {"URL", "EMAIL", "PHONE"}))
        bad.push_back(at + ".contactValueType: URL, EMAIL or PHONE");
      if (str(o, "contact").empty()) bad.push_back(at + ".contact: cannot be blank");
    }
  }
  auto* api = m.if_contains("apiService");
  if (!api || !api->is_object()) {
    bad.push_back("apiService: an object with scopes and configGuideUrl");
    return bad;
  }
  auto* scopes = api->as_object().if_contains("scopes");
  if (!scopes || !scopes->is_array() || scopes->as_array().empty() || scopes->as_array().size() > 64) {
    bad.push_back("apiService.scopes: 1 to 64 scopes");
  } else {
    std::size_t i = 0;
    for (auto& s : scopes->as_array()) {
      auto at = "apiService.scopes[" + std::to_string(i++) + "]";
      if (!s.is_object()) {
        bad.push_back(at + ": an object {scope, reason}");
        continue;
      }
      auto scope = str(s.as_object(), "scope");
      if (!scope.starts_with("okta.") || !(scope.ends_with(".read") || scope.ends_with(".manage")))
        bad.push_back(at + ".scope: an okta.<resource>.read or .manage scope");
      auto reason = str(s.as_object(), "reason");
      if (reason.empty() || reason.size() > 1024) bad.push_back(at + ".reason: 1 to 1024 characters");
    }
  }
  if (!is_https(str(api->as_object(), "configGuideUrl"))) bad.push_back("apiService.configGuideUrl: an https URL");
  return bad;
}

}  // namespace gh::cli
