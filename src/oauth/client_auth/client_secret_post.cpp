// client_secret_post: RFC 6749 §2.3.1, client_id and client_secret in the form body.
#include "oauth/client_auth/methods.hpp"

namespace gh::oauth::detail {

Result<AuthenticatedClient> authenticate_post(Env& env, const ClientAuthInput& in,
                                              const model::OrgModel& org) {
  auto id = in.form.get("client_id");
  auto secret = in.form.get("client_secret");
  if (!id || id->empty() || !secret) return invalid_client(kClientAuthFailed);
  core::ClientId client_id{*id};
  auto app = find_client(org, client_id, "client_secret_post");
  if (!app) return app.error();
  if (!secret_matches(env, org, *id, *secret)) return invalid_client(kClientAuthFailed);
  return authenticated(**app, std::move(client_id).str(), "client_secret_post");
}

}  // namespace gh::oauth::detail
