// Dispatch between client authentication methods (RFC 6749 §2.3, RFC 7523 §2.2,
// okta-compat.md §4.1, §11.20).
#include "oauth/client_auth/client_auth.hpp"

#include <boost/json/parse.hpp>

#include "core/base64.hpp"
#include "crypto/credential.hpp"
#include "jose/jws.hpp"
#include "oauth/client_auth/methods.hpp"
#include "store/errc.hpp"
#include "oauth/detail/json_access.hpp"

namespace gh::oauth {
namespace detail {

Result<const model::ParsedDoc*> find_client(const model::OrgModel& org, const core::ClientId& client_id,
                                            std::string_view method) {
  auto* app = client_id.empty() ? nullptr : org.client(client_id);
  if (!app || !app->client->active) return invalid_client(kClientAuthFailed);
  // The method used must be the one the client registered (RFC 7591 §2
  // token_endpoint_auth_method; okta-compat.md §4.1).
  if (app->client->token_endpoint_auth_method != method)
    return invalid_client("The client is not configured to use this client authentication method.");
  return app;
}

bool secret_matches(const Env& env, const model::OrgModel& org, std::string_view client_id,
                    std::string_view secret) {
  // The checksum refuses a mistyped or truncated secret before any lookup (DESIGN.md).
  if (!crypto::is_well_formed(secret, crypto::CredentialKind::client_secret)) return false;
  auto presented = env.pepper.mac(secret);
  bool match = false;
  for (auto* d : org.children_parsed(domain::kind::client_secret, client_id)) {
    auto& stored = d->child->match;  // _gh.mac, decoded when the document was parsed
    if (!d->child->active || stored.size() != presented.size()) continue;
    crypto::Mac mac;
    std::copy(stored.begin(), stored.end(), mac.begin());
    match = crypto::equal_mac(mac, presented) || match;  // constant time per secret
  }
  return match;
}

}  // namespace detail

namespace {
constexpr std::string_view kClientParams[] = {"client_id", "client_secret", "client_assertion",
                                              "client_assertion_type"};

struct Authorization {
  std::string_view scheme;
  bool has_credentials = false;  // a space followed the scheme
  std::string_view credentials;  // after it, leading spaces dropped
};

Authorization split_authorization(std::string_view auth) {
  while (!auth.empty() && auth.front() == ' ') auth.remove_prefix(1);
  auto space = auth.find(' ');
  if (space == std::string_view::npos) return {auth, false, {}};
  auto rest = auth.substr(space + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return {auth.substr(0, space), true, rest};
}
}  // namespace

Error challenge_basic(Error e, std::string_view authorization, std::string_view issuer) {
  // RFC 6749 §5.2: "If the client attempted to authenticate via the Authorization request header
  // field, the authorization server MUST respond with an HTTP 401 ... and include the
  // WWW-Authenticate response header field matching the authentication scheme used by the
  // client": the Basic scheme (§11.3: case-insensitive), with or without credentials after it.
  if (e.status != 401 || e.error != "invalid_client" || !e.www_authenticate.empty()) return e;
  if (!http::iequals(split_authorization(authorization).scheme, "Basic")) return e;
  e.www_authenticate = "Basic realm=\"" + std::string(issuer.empty() ? "gatehouse" : issuer) + "\"";
  return e;
}

Result<AuthenticatedClient> ClientAuthenticator::dispatch(const ClientAuthInput& in,
                                                          const model::OrgModel& org) {
  // §11.20: any parameter given twice → invalid_request (the endpoint checks the whole form;
  // this keeps the rule when another caller forgets).
  for (auto name : kClientParams)
    if (in.form.count(name) > 1) return invalid_request("A parameter was given more than once.");
  auto header = split_authorization(in.authorization);
  // §11.3: scheme names match case-insensitively. A bare scheme is no method (but its 401 carries
  // a Basic challenge, challenge_basic).
  bool basic = header.has_credentials && http::iequals(header.scheme, "Basic");
  bool post = in.form.count("client_secret") > 0;
  bool jwt = in.form.count("client_assertion") > 0 || in.form.count("client_assertion_type") > 0;
  // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
  if (int(basic) + int(post) + int(jwt) > 1)
    return invalid_request("More than one client authentication method was used.");
  if (basic) return detail::authenticate_basic(env_, in, org, header.credentials);
  if (post) return detail::authenticate_post(env_, in, org);
  if (jwt) return detail::authenticate_private_key_jwt(env_, in, org);
  return invalid_client("No client credentials found.");
}

Error ClientAuthenticator::throttle(Error failure, const ClientAuthInput& in, const model::OrgModel& org) {
  // §11.30: only failed authentication is counted; malformed requests (400) are not failures
  // of a credential.
  // A needs_outbound 401 is provisional (the jwks_uri fetch decides it): not a failure yet.
  if (failure.status != 401 || failure.needs_outbound) return failure;
  auto client_id = claimed_client_id(in);
  if (!client_id.empty() && !org.doc(domain::kind::app, client_id)) client_id.clear();
  auto d = failures_.record_failure(org.org().id, client_id, in.source_address, core::epoch_ms(env_.clock.now()));
  if (d.allowed) return failure;
  auto e = too_many_requests("Request throttled due to repeated invalid client errors.");
  e.cause = failure.cause;
  e.rate = RateHeaders{d.limit, d.remaining, d.reset_epoch_s};
  return e;
}

Result<AuthenticatedClient> ClientAuthenticator::check(const ClientAuthInput& in, const model::OrgModel& org) {
  auto client = dispatch(in, org);
  if (!client) return throttle(challenge_basic(std::move(client.error()), in.authorization, in.issuer()), in, org);
  return client;
}

Result<void> ClientAuthenticator::consume_assertion(const AuthenticatedClient& client) {
  if (client.assertion_replay_key.empty()) return {};
  auto now = core::epoch_ms(env_.clock.now()) / 1000;
  switch (assertion_jtis_.insert(client.assertion_replay_key, client.assertion_expires_at, now,
                                 client.assertion_issued_at)) {
    case ReplayCache::Outcome::fresh: return {};
    // The shared ledger (many nodes) could not say whether it is fresh: refused, never accepted;
    // 503 like the store being unavailable (oauth::server_error), the client may retry.
    case ReplayCache::Outcome::unavailable: return server_error(store::Errc::unavailable);
    case ReplayCache::Outcome::replay:
    case ReplayCache::Outcome::full: break;
  }
  return invalid_client("The client_assertion has already been used.");
}

Result<AuthenticatedClient> ClientAuthenticator::authenticate(const ClientAuthInput& in,
                                                              const model::OrgModel& org) {
  auto client = check(in, org);
  if (!client) return client;
  if (auto used = consume_assertion(*client); !used)
    return challenge_basic(std::move(used.error()), in.authorization, in.issuer());
  return client;
}

std::string claimed_client_id(const ClientAuthInput& in) {
  if (auto h = split_authorization(in.authorization); h.has_credentials && http::iequals(h.scheme, "Basic")) {
    auto raw = core::base64_decode(h.credentials);
    if (!raw) return {};
    core::SecretString wipe{std::move(*raw)};
    auto id = http::percent_decode(wipe.reveal().substr(0, wipe.reveal().find(':')), true);
    return id ? *id : std::string();
  }
  if (auto id = in.form.get("client_id")) return std::string(*id);
  if (auto assertion = in.form.get("client_assertion")) {  // RFC 7523 §3: iss = sub = client_id
    auto jws = jose::decode(*assertion);
    if (!jws) return {};
    boost::system::error_code ec;
    auto claims = boost::json::parse(jws->payload, ec);
    if (ec || !claims.is_object()) return {};
    return std::string(detail::str_at(claims.get_object(), {"iss"}));
  }
  return {};
}

void ClientAuthenticator::prepare_outbound(const http::Params& form, model::OrgModel& org) {
  detail::prefetch_private_key_jwt(env_, form, org);
}

}  // namespace gh::oauth
