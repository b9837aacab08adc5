#pragma once
// Issuing an API token: a fresh credential (crypto/credential.hpp), stored only as its MAC.
#include <string>

#include "core/random.hpp"
#include "core/secret_string.hpp"
#include "crypto/mac.hpp"
#include "domain/types.hpp"

namespace gh::api {

struct IssuedToken {
  domain::ApiToken meta;
  core::SecretString value;  // shown once, in the response that creates it
};

IssuedToken issue_api_token(core::Random& random, const crypto::Pepper& pepper, std::string user_id,
                            std::string name, domain::Millis now);

// The ApiToken metadata resource (okta-compat.md §5); never the value.
std::string render_api_token(std::string_view org_url, const domain::ApiToken& t, domain::Millis last_used,
                             std::chrono::milliseconds idle_window, const core::SecretString* value = nullptr);

}  // namespace gh::api
