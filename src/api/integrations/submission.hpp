#pragma once
// The vendor's API service integration submission (issue 15; docs/oauth-documents.md
// `submission`): Okta's OIN SubmissionRequest/SubmissionResponse (MGMT-OAS YourOinIntegrations)
// plus Gatehouse's `apiService {scopes: [{scope, reason}], configGuideUrl}`.
//
// Pure rules, no model: a draft is checked for types, formats and limits (what is present must be
// right), a submission for completeness as well (what the catalog needs must be there). Each
// returns every cause it finds (errorCauses), so one 400 names every field to fix.
#include <boost/json/object.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gh::api::integrations {

// Submission statuses. Editable (replace, delete) only while DRAFT or REJECTED; the operator's
// review (a later slice) moves SUBMITTED → PUBLISHED or REJECTED.
namespace status {
inline constexpr std::string_view draft = "DRAFT";
inline constexpr std::string_view submitted = "SUBMITTED";
inline constexpr std::string_view rejected = "REJECTED";
inline constexpr std::string_view published = "PUBLISHED";
}  // namespace status
bool is_editable(std::string_view status);

inline constexpr std::size_t kMaxName = 64;           // MGMT-OAS SubmissionResponse.name
inline constexpr std::size_t kMaxDescription = 1024;  // MGMT-OAS SubmissionResponse.description
inline constexpr std::size_t kMaxKey = 64;
inline constexpr std::size_t kMaxUrl = 1024;
inline constexpr std::size_t kMaxReason = 1024;
inline constexpr std::size_t kMaxScopes = 64;
inline constexpr std::size_t kMaxContacts = 10;

// The integration key: 1 to kMaxKey characters of [a-z0-9_].
bool is_integration_key(std::string_view key);
// An `okta.*` scope this server has (okta.<resource>.read|manage, domain/permissions).
bool is_okta_scope(std::string_view scope);
// An absolute https URL with a host and no whitespace or control characters.
bool is_https_url(std::string_view url);

// The vendor-editable members of a request body (name, description, logo, appContactDetails,
// apiService), checked as a draft; read-only members (id, status, lastUpdated…) are ignored.
// On success `out` holds the normalised members; otherwise `causes` lists every problem.
struct DraftCheck {
  boost::json::object fields;
  std::vector<std::string> causes;
};
DraftCheck check_draft(const boost::json::object& body);

// Whether a stored submission is complete enough to submit; every missing or invalid field.
// `is_uploaded_logo` says whether a URL is a logo uploaded to this org (POST .../logo).
std::vector<std::string> check_complete(const boost::json::object& body,
                                        const std::function<bool(std::string_view)>& is_uploaded_logo);

}  // namespace gh::api::integrations
