#pragma once
// ManagementClient: the part of the Okta-compatible management API (okta-compat.md §6) that the
// CLI needs, authenticated with an SSWS API token or with a TokenClient (Bearer/DPoP). Lists
// follow `Link: <…>; rel="next"` (okta-compat.md §2) until the end or a limit. Thread-safe.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/secret_string.hpp"
#include "gatehouse/client/http.hpp"
#include "gatehouse/client/token_client.hpp"

namespace gh::sdk {

class ManagementClient {
 public:
  // SSWS (okta-compat.md §3). `org_url` without a trailing slash.
  ManagementClient(std::string org_url, core::SecretString api_token, std::shared_ptr<Transport> t = {});
  // OAuth for Okta (okta-compat.md §3): the token client's Bearer or DPoP tokens.
  ManagementClient(std::string org_url, std::shared_ptr<TokenClient> tokens, std::shared_ptr<Transport> t = {});

  const std::string& org_url() const { return org_url_; }

  // One call to ORG + `path` with an optional JSON body; 2xx → the parsed body (null when
  // empty). Errors: http_status with Error::detail "E0000007: Not found: …", transport errors.
  Result<boost::json::value> request(std::string_view method, std::string_view path,
                                     const boost::json::value* body = nullptr);
  // The same with a body that is not JSON (e.g. multipart/form-data).
  Result<boost::json::value> request_body(std::string_view method, std::string_view path,
                                          std::string content_type, std::string body);
  // GET `path` and every next page; stops after `max_items` items (0: no limit).
  Result<boost::json::array> list(std::string_view path, std::size_t max_items = 0);

  // Apps (okta-compat.md §5 "OIDC service app").
  Result<boost::json::object> create_service_app(std::string_view label, bool private_key_jwt,
                                                 const boost::json::object* public_jwk);
  Result<boost::json::array> list_apps(std::size_t max_items = 0);
  Result<boost::json::object> get_app(std::string_view id);
  Result<void> deactivate_app(std::string_view id);
  Result<void> delete_app(std::string_view id);
  Result<boost::json::object> new_client_secret(std::string_view app_id);
  Result<boost::json::object> add_jwk(std::string_view app_id, const boost::json::object& public_jwk);
  Result<boost::json::object> grant_scope(std::string_view app_id, std::string_view scope);
  Result<boost::json::object> assign_client_role(std::string_view client_id, std::string_view role);
  // API tokens and the System Log.
  Result<boost::json::array> list_api_tokens();
  Result<void> revoke_api_token(std::string_view id);
  // GET /api/v1/logs?since=…&filter=…; `next_url` receives the next link (for polling).
  Result<boost::json::array> logs(std::string_view since, std::string_view filter, std::size_t limit,
                                  std::string* next_url = nullptr);
  Result<boost::json::array> logs_page(std::string_view url, std::string* next_url);

 private:
  Result<HttpResponse> send(HttpRequest req);
  std::string org_url_;
  core::SecretString api_token_;
  std::shared_ptr<TokenClient> tokens_;
  std::shared_ptr<Transport> transport_;
};

// The rel="next" URL of a Link header (RFC 8288), or "".
std::string next_link(const HttpResponse& res);
// A query component, percent-encoded (RFC 3986 §3.4).
std::string query_encode(std::string_view s);

}  // namespace gh::sdk
