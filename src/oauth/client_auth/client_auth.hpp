#pragma once
// Client authentication at the token, introspection and revocation endpoints
// (RFC 6749 §2.3, RFC 7523 §2.2, okta-compat.md §4.1, §11.19, §11.20).
#include <optional>
#include <string>
#include <string_view>

#include "domain/documents.hpp"
#include "http/url.hpp"
#include "model/org_model.hpp"
#include "oauth/auth_server.hpp"
#include "oauth/env.hpp"
#include "oauth/client_auth/failure_throttle.hpp"
#include "oauth/client_auth/replay_cache.hpp"
#include "oauth/errors.hpp"
#include "oauth/limits.hpp"

namespace gh::oauth {

struct ClientAuthInput {
  const http::Params& form;            // the decoded form body (duplicates already refused)
  std::string_view authorization;      // the Authorization header ("" when absent)
  // The endpoint invoked: its AS and its name ("token", "introspect", "revoke"). Its absolute URL
  // (a client assertion's aud; endpoint_url()) is built only for private_key_jwt: the secret
  // methods never need it (issue 20: ~750 instructions a token request).
  const AuthServer& server;
  std::string_view endpoint;
  std::string_view source_address = {};  // the peer's IP address (failure throttling)

  std::string endpoint_url() const { return server.endpoint(endpoint); }
  std::string_view issuer() const { return server.issuer; }  // assertion aud may also equal it
};

// RFC 7523 §2.2 client_assertion_type.
inline constexpr std::string_view kJwtBearerAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct AuthenticatedClient {
  // Both valid while the org lock is held. The record holds the settings the token endpoint
  // reads (parsed once, domain/client_record.hpp); the document is for the cold paths (events).
  const domain::Document* app = nullptr;  // kind app, ACTIVE
  const domain::ClientRecord* record = nullptr;
  std::string client_id;
  std::string method;                     // client_secret_basic | client_secret_post | private_key_jwt
  // private_key_jwt: the assertion's single-use key (org, client, jti) and until when it is
  // remembered; consume_assertion() records it. Empty for the other methods.
  std::string assertion_replay_key;
  std::int64_t assertion_expires_at = 0;
  std::optional<std::int64_t> assertion_issued_at;  // its iat, when it has one (§11.33)
};

// Identifies and authenticates the client. Exactly one method per request (§11.20). The method
// used must be the app's registered token_endpoint_auth_method and the app must be ACTIVE.
// Errors: 400 invalid_request (two methods, a parameter twice, bad client_assertion_type);
// 401 invalid_client for everything else ("No client credentials found." when none were sent;
// with `WWW-Authenticate: Basic` when the Authorization header was used, RFC 6749 §5.2);
// 429 too_many_requests (with rate headers) instead of 401 once failures of the named client or
// of the source address passed their limits (§11.30; FailureThrottle). Descriptions never echo
// request values. Caller holds the org lock shared.
// Thread-safe (the assertion replay cache and the failure counters are internal and synchronised).
class ClientAuthenticator {
 public:
  // `assertion_jtis`: where accepted assertions' jtis are remembered (built by the composition
  // root, which may share it between nodes).
  ClientAuthenticator(Env& env, ReplayCache& assertion_jtis, const Limits& limits = {})
      : env_(env), assertion_jtis_(assertion_jtis), failures_(limits) {}

  // check() then consume_assertion(): for endpoints without rate limits of their own.
  Result<AuthenticatedClient> authenticate(const ClientAuthInput& in, const model::OrgModel& org);
  // Every rule except the single use of a client assertion's jti.
  Result<AuthenticatedClient> check(const ClientAuthInput& in, const model::OrgModel& org);
  // RFC 7523 §3 item 7, §11.19: records the assertion's jti (no-op for other methods).
  // Errors: 401 invalid_client "The client_assertion has already been used."; 503
  // temporarily_unavailable when a shared ledger (many nodes) could not answer.
  Result<void> consume_assertion(const AuthenticatedClient& client);
  // The outbound I/O an authenticate() that answered needs_outbound was waiting for: fetches the
  // jwks_uri set a private_key_jwt assertion in `form` needs. Takes the org lock itself (shared,
  // never across the fetch). May block on the network: call it only on the outbound lane.
  void prepare_outbound(const http::Params& form, model::OrgModel& org);
  FailureThrottle& failure_throttle() { return failures_; }

 private:
  Result<AuthenticatedClient> dispatch(const ClientAuthInput& in, const model::OrgModel& org);
  Error throttle(Error failure, const ClientAuthInput& in, const model::OrgModel& org);

  Env& env_;
  ReplayCache& assertion_jtis_;  // org/client/jti of accepted client assertions, until exp
  FailureThrottle failures_;
};

// RFC 6749 §5.2: `e` with `WWW-Authenticate: Basic realm="<issuer>"` when it is a 401
// invalid_client and `authorization` (the request's header) uses the Basic scheme, with or without
// credentials; otherwise `e` unchanged. Every endpoint that authenticates clients applies it to
// each invalid_client it answers.
Error challenge_basic(Error e, std::string_view authorization, std::string_view issuer);

// The client a request claims to be (Basic user id, client_id, or the assertion's iss/sub),
// without checking anything; "" when none can be read. For accounting of failures only.
std::string claimed_client_id(const ClientAuthInput& in);

}  // namespace gh::oauth
