#pragma once
// Integration logos (issue 15): uploaded by the vendor (POST
// ORG/integrations/api/v1/submissions/logo, multipart/form-data with a `file`; MGMT-OAS
// uploadSubmissionLogo), stored as an `integration_logo` document of the vendor's org, served at
// ORG/integrations/logos/{id}.
//
// PNG only, at most kMaxLogoBytes: SVG is refused outright, because a safe SVG needs a real XML
// sanitiser (scripts, event handlers, foreignObject, external references, entities) and a logo
// is shown to other orgs; a PNG is checked by its signature and IHDR chunk.
//
// The GET needs no credentials: catalog logos are public in Okta, the catalog pages of other
// orgs show them, and their ids are random (fs… + 17 base62), so they cannot be enumerated. It is
// served with nosniff and a CSP that allows nothing, so even a mislabelled file runs no code.
#include <string>
#include <string_view>

#include "api/common/context.hpp"
#include "api/common/routes.hpp"

namespace gh::api::integrations {

inline constexpr std::size_t kMaxLogoBytes = 1024 * 1024;
// The request body the logo upload may have: the file and its multipart framing.
inline constexpr std::size_t kLogoBodyBytes = kMaxLogoBytes + 64 * 1024;
inline constexpr std::string_view kLogoPath = "/integrations/logos/";  // + id, under ORG

enum class ImageCheck { png, svg, not_an_image, empty, too_large };
ImageCheck check_image(std::string_view bytes);

// The URL at which `id` is served.
std::string logo_url(const model::OrgModel& org, std::string_view id);
// Whether `url` is the URL of a logo uploaded to `org`. Caller holds org's lock.
bool is_uploaded_logo(const model::OrgModel& org, std::string_view url);

// POST .../submissions/logo → 201, Location and {"url"} (the URL to put in `logo`).
Result<http::Response> upload_logo(Ctx& ctx);

// GET/HEAD ORG/integrations/logos/{id}: the image (takes the org's lock shared itself).
http::Response serve_logo(const http::Request& req, model::OrgModel& org, std::string_view id);

}  // namespace gh::api::integrations
