#pragma once
// The composition of HTTP surfaces: health, org resolution (base_url or base_url/o/{slug}), and
// the management API and the OAuth endpoints. Implements http::Service.
#include <atomic>
#include <string>

#include "api/common/management_api.hpp"
#include "api/session/endpoint.hpp"
#include "config/config.hpp"
#include "console/static_site.hpp"
#include "http/service.hpp"
#include "oauth/endpoints.hpp"
#include "server/metrics.hpp"

namespace gh::server {

class Gateway final : public http::Service {
 public:
  Gateway(api::Deps& deps, const config::Limits& limits, api::ManagementApi& management, oauth::Endpoints& oauth);
  std::size_t body_limit(std::string_view path) const override;
  bool is_blocking(const http::Request& req) const override;
  bool waits_on_network(const http::Request& req) const override;
  http::Response handle(http::Request& req) override;
  void prepare_outbound(http::Request& req) override;
  http::Response transport_error(int status, std::string_view request_id) const override;
  void set_ready(bool r) { ready_ = r; }
  // Many nodes (issue 18): single-use values are claimed in PostgreSQL's shared ledger, so the
  // requests that carry one (a client assertion, a DPoP proof) run on the outbound lane.
  void set_shared_single_use(bool shared) { shared_single_use_ = shared; }
  // The admin console (issue 17): its session endpoint and built files, served at ORG/admin/.
  void set_console(api::session::Endpoint* session, const console::StaticSite* site) {
    console_session_ = session;
    console_site_ = site;
  }
  // Metrics (docs/deployment.md): every answer is counted in `m` and /metrics is served under
  // `access`. Unset (the default): nothing is recorded and /metrics is an unknown path.
  void set_metrics(Metrics* m, MetricsAccess access) {
    metrics_ = m;
    metrics_access_ = std::move(access);
  }

 private:
  // The org a request path names (null when none) and the org-relative rest of the path.
  struct Target {
    model::OrgModel* org = nullptr;
    std::string_view path;
  };
  Target resolve(std::string_view path) const;
  http::Response dispatch(http::Request& req);
  http::Response console(http::Request& req, model::OrgModel& org, std::string_view path);

  api::Deps& deps_;
  config::Limits limits_;
  std::string base_path_;  // path part of base_url ("" usually)
  api::ManagementApi& management_;
  oauth::Endpoints& oauth_;
  std::atomic<bool> ready_{false};
  bool shared_single_use_ = false;
  api::session::Endpoint* console_session_ = nullptr;
  const console::StaticSite* console_site_ = nullptr;
  Metrics* metrics_ = nullptr;
  MetricsAccess metrics_access_;
};

}  // namespace gh::server
