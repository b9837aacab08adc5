#pragma once
// The parts of src/api/integrations that register routes or render for one another.
#include <string>

#include "api/common/routes.hpp"
#include "domain/documents.hpp"

namespace gh::api::integrations {

// ORG/api/v1/review/submissions… on the first org: the operator's review queue (review.cpp).
void register_review(ApiRouter& r);
// ORG/api/v1/catalog/integrations…: listed published integrations, on any org (catalog.cpp).
void register_catalog(ApiRouter& r);

// A submission as the vendor sees it: the stored body without `_gh`.
std::string render_submission(const domain::Document& d);
// The id of the principal that acts (SSWS: the token's owner; Bearer: the client).
std::string actor_id(const Ctx& ctx);

}  // namespace gh::api::integrations
