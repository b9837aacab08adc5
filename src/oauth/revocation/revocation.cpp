#include "oauth/revocation/revocation.hpp"

#include <spdlog/spdlog.h>

#include <mutex>
#include <shared_mutex>

#include "domain/documents.hpp"
#include "oauth/token_endpoint/token_events.hpp"
#include "oauth/verify/endpoint_form.hpp"

namespace gh::oauth {
namespace {
http::Response revoked_ok() {
  auto r = http::Response::empty(200);  // RFC 7009 §2.2; no Content-Type on an empty body
  r.set("Cache-Control", "no-store");
  r.set("Pragma", "no-cache");
  return r;
}
}  // namespace

http::Response Revocation::handle(const http::Request& req, model::OrgModel& org, std::string_view as_id) {
  auto form = parse_form(req);
  if (!form) return render(form.error());
  std::shared_lock lock(org.mutex());
  auto client = authenticate_client(client_auth_, req, *form, org, as_id, "revoke");
  if (!client) return render(client.error());
  auto token = token_param(*form);
  if (!token) return render(invalid_request("The token parameter is required."));  // RFC 7009 §2.1
  auto claims = verifier_.verify(*token, org, as_id);
  // RFC 7009 §2.2: invalid tokens do not cause an error; a client revokes only its own tokens.
  if (!claims) return revoked_ok();
  if ((*claims)->cid != client->client_id) {
    spdlog::debug("revocation of another client's token ignored org={} client_id={}", org.org().id,
                  client->client_id);
    return revoked_ok();
  }
  domain::Document doc;
  doc.kind = std::string(domain::kind::revoked_token);
  doc.id = (*claims)->jti;
  doc.parent = client->client_id;
  doc.body = {{"exp", (*claims)->exp}};
  store::ChangeSet changes{store::PutDocument{std::move(doc)},  // with its System Log event (#4)
                           store::AppendEvent{token_revocation_event(env_, req, org, as_id, client->client_id, (*claims)->jti)}};
  // Durable first, then visible (mirrors api::commit). This runs on the writer thread, the only
  // one that changes the model, so what was checked under the shared lock still holds.
  if (auto r = env_.store.commit(org.id(), changes); !r) {
    spdlog::error("revocation commit failed org={} client_id={} error=\"{}\"", org.org().id,
                  client->client_id, r.error().message());
    return render(server_error());
  }
  lock.unlock();
  {
    std::unique_lock wl(org.mutex());
    org.apply(changes);
  }
  spdlog::debug("access token revoked org={} client_id={}", org.org().id, client->client_id);
  return revoked_ok();
}

}  // namespace gh::oauth
