#include "api/integrations/submission.hpp"

#include <boost/json/array.hpp>

#include <set>

#include "domain/permissions.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;

constexpr std::size_t kMaxContact = 256;
const std::set<std::string_view> kContactTypes = {"CUSTOMER_SUPPORT", "ESCALATION_SUPPORT"};  // MGMT-OAS
const std::set<std::string_view> kContactValueTypes = {"URL", "EMAIL", "PHONE"};             // MGMT-OAS

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

bool is_url_with_scheme(std::string_view url, std::string_view scheme) {
  if (url.size() > kMaxUrl || !url.starts_with(scheme)) return false;
  auto rest = url.substr(scheme.size());
  auto host_end = rest.find_first_of("/?#");
  if (rest.substr(0, host_end).empty()) return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7F) return false;
  return true;
}

// Reads an optional string member: absent/null → nullopt without a cause; wrong type → a cause.
const json::string* opt_string(const json::object& o, std::string_view key, std::string_view path,
                               std::vector<std::string>& causes) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_string()) {
    causes.push_back(std::string(path) + ": The field must be a string");
    return nullptr;
  }
  return &v->get_string();
}

void check_contacts(const json::value& v, json::object& out, std::vector<std::string>& causes) {
  if (!v.is_array()) return causes.push_back("appContactDetails: The field must be an array");
  auto& a = v.get_array();
  if (a.size() > kMaxContacts) return causes.push_back("appContactDetails: At most 10 contacts are allowed");
  json::array norm;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::string at = "appContactDetails[" + std::to_string(i) + "]";
    if (!a[i].is_object()) {
      causes.push_back(at + ": The field must be an object");
      continue;
    }
    auto& c = a[i].get_object();
    auto* type = opt_string(c, "contactType", at + ".contactType", causes);
    auto* value_type = opt_string(c, "contactValueType", at + ".contactValueType", causes);
    auto* contact = opt_string(c, "contact", at + ".contact", causes);
    bool ok = true;
    if (!type || !kContactTypes.count(*type))
      ok = false, causes.push_back(at + ".contactType: Must be CUSTOMER_SUPPORT or ESCALATION_SUPPORT");
    if (!value_type || !kContactValueTypes.count(*value_type))
      ok = false, causes.push_back(at + ".contactValueType: Must be URL, EMAIL or PHONE");
    if (!contact || contact->empty() || contact->size() > kMaxContact || has_control(*contact))
      ok = false, causes.push_back(at + ".contact: Must be 1 to 256 characters");
    if (ok) norm.push_back(json::object{{"contactType", *type}, {"contactValueType", *value_type}, {"contact", *contact}});
  }
  out["appContactDetails"] = std::move(norm);
}

void check_api_service(const json::value& v, json::object& out, std::vector<std::string>& causes) {
  if (!v.is_object()) return causes.push_back("apiService: The field must be an object");
  auto& s = v.get_object();
  json::object norm;
  json::array scopes;
  if (auto* sv = s.if_contains("scopes"); sv && !sv->is_null()) {
    if (!sv->is_array()) {
      causes.push_back("apiService.scopes: The field must be an array");
    } else if (sv->get_array().size() > kMaxScopes) {
      causes.push_back("apiService.scopes: At most 64 scopes are allowed");
    } else {
      std::set<std::string, std::less<>> seen;
      auto& a = sv->get_array();
      for (std::size_t i = 0; i < a.size(); ++i) {
        std::string at = "apiService.scopes[" + std::to_string(i) + "]";
        if (!a[i].is_object()) {
          causes.push_back(at + ": The field must be an object");
          continue;
        }
        auto& e = a[i].get_object();
        auto* scope = opt_string(e, "scope", at + ".scope", causes);
        auto* reason = opt_string(e, "reason", at + ".reason", causes);
        bool ok = true;
        if (!scope || !is_okta_scope(*scope))
          ok = false, causes.push_back(at + ".scope: Must be an okta.* scope of this server");
        else if (!seen.insert(std::string(*scope)).second)
          ok = false, causes.push_back(at + ".scope: The scope is listed twice");
        if (reason && (reason->size() > kMaxReason || has_control(*reason)))
          ok = false, causes.push_back(at + ".reason: Must be at most 1024 characters without control characters");
        if (ok) scopes.push_back(json::object{{"scope", *scope}, {"reason", reason ? *reason : json::string()}});
      }
    }
  }
  norm["scopes"] = std::move(scopes);
  if (auto* url = opt_string(s, "configGuideUrl", "apiService.configGuideUrl", causes)) {
    if (url->size() > kMaxUrl || has_control(*url)) causes.push_back("apiService.configGuideUrl: Must be a URL of at most 1024 characters");
    else norm["configGuideUrl"] = *url;
  }
  out["apiService"] = std::move(norm);
}
}  // namespace

bool is_editable(std::string_view s) { return s == status::draft || s == status::rejected; }

bool is_integration_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxKey) return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

bool is_okta_scope(std::string_view scope) {
  using domain::Resource;
  for (std::size_t i = 0; i < static_cast<std::size_t>(Resource::count_); ++i)
    for (auto a : {domain::Action::read, domain::Action::manage})
      if (domain::Permission{static_cast<Resource>(i), a}.scope() == scope) return true;
  return false;
}

bool is_https_url(std::string_view url) { return is_url_with_scheme(url, "https://"); }

DraftCheck check_draft(const json::object& body) {
  DraftCheck r;
  auto& causes = r.causes;
  if (auto* name = opt_string(body, "name", "name", causes)) {
    if (name->empty() || code_points(*name) > kMaxName || has_control(*name))
      causes.push_back("name: Must be 1 to 64 characters");
    else r.fields["name"] = *name;
  }
  if (auto* d = opt_string(body, "description", "description", causes)) {
    if (code_points(*d) > kMaxDescription) causes.push_back("description: Must be at most 1024 characters");
    else r.fields["description"] = *d;
  }
  if (auto* logo = opt_string(body, "logo", "logo", causes)) {
    if (!is_url_with_scheme(*logo, "https://") && !is_url_with_scheme(*logo, "http://"))
      causes.push_back("logo: Must be the URL returned by POST /integrations/api/v1/submissions/logo");
    else r.fields["logo"] = *logo;
  }
  if (auto* v = body.if_contains("appContactDetails"); v && !v->is_null()) check_contacts(*v, r.fields, causes);
  if (auto* v = body.if_contains("apiService"); v && !v->is_null()) check_api_service(*v, r.fields, causes);
  return r;
}

std::vector<std::string> check_complete(const json::object& body,
                                        const std::function<bool(std::string_view)>& is_uploaded_logo) {
  std::vector<std::string> causes;
  auto str = [&](std::string_view k) -> std::string_view {
    auto* v = body.if_contains(k);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
  };
  if (str("name").empty()) causes.push_back("name: The field cannot be left blank");
  if (str("description").empty()) causes.push_back("description: The field cannot be left blank");
  if (str("logo").empty()) causes.push_back("logo: The field cannot be left blank");
  else if (!is_uploaded_logo(str("logo")))
    causes.push_back("logo: Must be the URL of a logo uploaded to this org (POST /integrations/api/v1/submissions/logo)");
  auto* contacts = body.if_contains("appContactDetails");
  if (!contacts || !contacts->is_array() || contacts->get_array().empty())
    causes.push_back("appContactDetails: At least one contact is required");
  const json::object* svc = nullptr;
  if (auto* v = body.if_contains("apiService"); v && v->is_object()) svc = &v->get_object();
  const json::array* scopes = nullptr;
  if (svc)
    if (auto* v = svc->if_contains("scopes"); v && v->is_array()) scopes = &v->get_array();
  if (!scopes || scopes->empty()) {
    causes.push_back("apiService.scopes: At least one scope is required");
  } else {
    for (std::size_t i = 0; i < scopes->size(); ++i) {
      auto* e = (*scopes)[i].if_object();
      auto* reason = e ? e->if_contains("reason") : nullptr;
      if (!reason || !reason->is_string() || reason->get_string().empty())
        causes.push_back("apiService.scopes[" + std::to_string(i) + "].reason: A reason is required for each scope");
    }
  }
  auto* guide = svc ? svc->if_contains("configGuideUrl") : nullptr;
  if (!guide || !guide->is_string() || guide->get_string().empty())
    causes.push_back("apiService.configGuideUrl: The field cannot be left blank");
  else if (!is_https_url(guide->get_string()))
    causes.push_back("apiService.configGuideUrl: Must be an https URL");
  return causes;
}

}  // namespace gh::api::integrations
