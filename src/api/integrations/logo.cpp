#include "api/integrations/logo.hpp"

#include <boost/json/serialize.hpp>

#include <mutex>

#include "api/common/management_api.hpp"
#include "api/common/respond.hpp"
#include "core/base64.hpp"
#include "core/ids.hpp"
#include "domain/json_fields.hpp"
#include "http/multipart.hpp"

namespace gh::api::integrations {
namespace {
namespace json = boost::json;
using domain::str_member;

constexpr std::string_view kPngSignature{"\x89PNG\r\n\x1a\n", 8};  // PNG spec §5.2
constexpr std::string_view kLogoIdPrefix = "fs0";                   // Okta's file store ids

bool looks_like_svg(std::string_view b) {
  auto head = b.substr(0, 1024);
  for (auto needle : {"<svg", "<?xml", "<!DOCTYPE", "<!doctype", "<SVG"})
    if (head.find(needle) != std::string_view::npos) return true;
  return false;
}
}  // namespace

ImageCheck check_image(std::string_view b) {
  if (b.empty()) return ImageCheck::empty;
  if (b.size() > kMaxLogoBytes) return ImageCheck::too_large;
  // PNG: the signature, then the IHDR chunk first with its 13-byte body (PNG spec §5.6, §11.2.2).
  if (b.starts_with(kPngSignature) && b.size() >= 8 + 8 + 13 + 4 && b.substr(8, 4) == std::string_view("\0\0\0\x0d", 4) &&
      b.substr(12, 4) == "IHDR")
    return ImageCheck::png;
  if (looks_like_svg(b)) return ImageCheck::svg;
  return ImageCheck::not_an_image;
}

std::string logo_url(const model::OrgModel& org, std::string_view id) {
  return org.url() + std::string(kLogoPath) + std::string(id);
}

bool is_uploaded_logo(const model::OrgModel& org, std::string_view url) {
  auto prefix = org.url() + std::string(kLogoPath);
  if (!url.starts_with(prefix)) return false;
  return org.doc(domain::kind::integration_logo, url.substr(prefix.size())) != nullptr;
}

Result<http::Response> upload_logo(Ctx& ctx) {
  auto boundary = http::form_data_boundary(ctx.req.header("Content-Type"));
  if (!boundary) return validation_failed("file", {"file: Send the logo as multipart/form-data with a file part"});
  auto parts = http::parse_form_data(ctx.req.body, *boundary);
  if (!parts) return validation_failed("file", {"file: The multipart/form-data body is not well-formed"});
  const http::FormPart* file = nullptr;
  for (auto& p : *parts)
    if (p.name == "file") file = &p;
  if (!file) return validation_failed("file", {"file: The field cannot be left blank"});
  switch (check_image(file->data)) {
    case ImageCheck::png: break;
    case ImageCheck::empty: return validation_failed("file", {"file: The file is empty"});
    case ImageCheck::too_large: return validation_failed("file", {"file: The logo must be at most 1 MiB"});
    case ImageCheck::svg: return validation_failed("file", {"file: SVG logos are not accepted; upload a PNG"});
    case ImageCheck::not_an_image: return validation_failed("file", {"file: The logo must be a PNG image"});
  }
  auto id = core::new_id(ctx.deps.random, kLogoIdPrefix);
  json::object body{{"id", id},
                    {"contentType", "image/png"},
                    {"size", file->data.size()},
                    {"created", iso(ctx.now())},
                    {"createdBy", ctx.principal.type == CredentialType::ssws ? ctx.principal.user_id : ctx.principal.client_id},
                    {"_gh", json::object{{"data", core::base64_encode(file->data)}}}};
  domain::Document doc{std::string(domain::kind::integration_logo), id, "", std::move(body)};
  if (auto r = commit(ctx, {store::PutDocument{std::move(doc)}}); !r) return r.error();
  auto url = logo_url(ctx.org, id);
  auto res = ok_json(json::serialize(json::object{{"url", url}}), 201);  // MGMT-OAS: 201 + location
  res.set("Location", url);
  return res;
}

http::Response serve_logo(const http::Request& req, model::OrgModel& org, std::string_view id) {
  std::string bytes, type;
  {
    std::shared_lock lk(org.mutex());
    if (auto* d = org.doc(domain::kind::integration_logo, id)) {
      type = std::string(str_member(d->body, "contentType"));
      if (auto* gh = d->body.if_contains("_gh"); gh && gh->is_object())
        if (auto decoded = core::base64_decode(str_member(gh->get_object(), "data"))) bytes = std::move(*decoded);
    }
  }
  if (type.empty()) return error_response(not_found(std::string(id)), req);
  http::Response r;
  r.status = 200;
  r.content_type = type;
  r.body = std::move(bytes);
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  r.set("Cache-Control", "public, max-age=86400");  // a logo id never changes content
  r.set("Cross-Origin-Resource-Policy", "cross-origin");  // catalog pages of any origin show it
  return r;
}

}  // namespace gh::api::integrations
