// libFuzzer target: JSON request bodies of the management API, through the checks that need no
// read model: parse_object_body (every resource's first step: E0000003 or E0000001, never
// anything else), the API service integration submission's rules (check_draft, check_complete:
// POST/PUT ORG/integrations/api/v1/submissions) and the JSON renderers of users and groups, whose
// profiles are stored as the client sent them. Every input must end in a value, never a crash, a
// leak or undefined behaviour, and:
// - a draft that passes check_draft normalises to fields that pass it again, unchanged;
// - every refusal names at least one cause, each non-empty;
// - a user or group whose profile is the body renders to a JSON object that parses back with that
//   same profile.
// Apps (api/apps/json_mapping.cpp parse_app) are not here: their key checks live in jwks.cpp with
// the routes and need the model.
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/common/json_body.hpp"
#include "api/groups/json_mapping.hpp"
#include "api/integrations/submission.hpp"
#include "api/users/json_mapping.hpp"
#include "domain/types.hpp"

namespace {
void renders_back(const std::string& text, const boost::json::object& profile) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) __builtin_trap();
  auto* p = v.as_object().if_contains("profile");
  if (!p || !p->is_object() || p->as_object() != profile) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = gh::api::parse_object_body(text, 16);
  if (!body) {
    const auto e = body.error();
    if (e.status != 400 || (e.code != "E0000003" && e.code != "E0000001")) __builtin_trap();
    return 0;
  }
  namespace integrations = gh::api::integrations;
  auto draft = integrations::check_draft(*body);
  for (auto& c : draft.causes)
    if (c.empty()) __builtin_trap();
  if (draft.causes.empty()) {
    auto again = integrations::check_draft(draft.fields);
    if (!again.causes.empty() || again.fields != draft.fields) __builtin_trap();
  }
  auto missing = integrations::check_complete(*body, [](std::string_view url) { return url.size() % 2 == 0; });
  for (auto& c : missing)
    if (c.empty()) __builtin_trap();

  gh::domain::User user;
  user.id = "00u1";
  user.status = gh::domain::UserStatus::ACTIVE;
  user.profile = *body;
  renders_back(gh::api::users::render_user("http://127.0.0.1:8080", user), *body);
  gh::domain::Group group;
  group.id = "00g1";
  group.profile = *body;
  renders_back(gh::api::groups::render_group("http://127.0.0.1:8080", group), *body);
  return 0;
}
