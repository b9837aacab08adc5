#pragma once
// The token event the ES256 benchmark's requests record (domain::TokenGrant's varying members),
// for the System Log writer's measurements (bench/micro/event_bench.cpp,
// bench/profiles/event_writer.cpp).
#include "domain/token_grant_event.hpp"

namespace gh::bench {

inline domain::TokenGrant es256_token_grant() {
  domain::TokenGrant g;
  g.granted = true;
  g.org_as = false;
  g.client_id = "0oaVpXqWBXWcnB7vvGhP";
  g.client_label = "svc-24566-mx0x67gj-1";
  g.ip_address = "127.0.0.1";
  g.request_id = "my8o9s9SI282NR1YpKNq";
  g.request_uri = "/oauth2/ausGDJSFMrfx0JsnCp34/v1/token";
  g.has_grant_type = g.has_requested_scopes = true;
  g.grant_type = "client_credentials";
  g.requested_scopes = g.granted_scopes = "bench.read";
  g.as_id = "ausGDJSFMrfx0JsnCp34";
  g.as_issuer = "http://127.0.0.1:34723/oauth2/ausGDJSFMrfx0JsnCp34";
  g.as_name = "bench-es256";
  g.token_type = "Bearer";
  return g;
}

}  // namespace gh::bench
