#pragma once
// Okta System Log events (okta-compat.md §5 "System log event"; MGMT-OAS LogEvent, LogActor,
// LogTarget, LogClient, LogOutcome, LogTransaction, LogDebugContext).
//
// Secrets never enter an event by construction: the builders below take ids, names, types,
// statuses and reasons only — never a credential, token, assertion, proof or header value. The
// only request data an event carries are the client's IP address and User-Agent.
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"
#include "domain/types.hpp"

namespace gh::domain {

// MGMT-OAS LogSeverity and LogOutcome.result (the values Gatehouse writes).
namespace severity {
inline constexpr std::string_view info = "INFO";
inline constexpr std::string_view warn = "WARN";
}  // namespace severity
namespace outcome {
inline constexpr std::string_view success = "SUCCESS";
inline constexpr std::string_view failure = "FAILURE";
inline constexpr std::string_view deny = "DENY";
}  // namespace outcome

struct LogActor {
  std::string id, type, alternate_id, display_name;
};

struct LogTarget {
  std::string id, type, alternate_id, display_name;
  boost::json::object detail_entry;  // rendered as null when empty
};

struct LogClient {
  std::string id;          // the OAuth client (client_id) behind the request, when known
  std::string ip_address;  // the TCP peer
  std::string user_agent;  // the User-Agent header, control characters removed, at most 512 bytes
};

struct LogEvent {
  std::string uuid;
  Millis published = 0;
  std::string event_type;  // Okta's catalog name, e.g. "user.lifecycle.create"
  std::string severity{severity::info};
  std::string display_message;
  LogActor actor;
  LogClient client;
  std::string outcome_result{outcome::success};
  std::string outcome_reason;  // "" = null
  std::vector<LogTarget> target;
  std::string transaction_type = "WEB";  // WEB (a request) or JOB (a background task)
  std::string transaction_id;            // the request id (X-Okta-Request-Id)
  boost::json::object transaction_detail;  // e.g. requestApiTokenId
  boost::json::object debug_data;          // debugContext.debugData
  std::string credential_type;  // authenticationContext.credentialType ("" = null)
};

// The event as Okta renders it: every LogEvent member present, absent values as null.
std::string render_json(const LogEvent& e);
void render_json(const LogEvent& e, std::string& out);  // appends to `out`
boost::json::object to_json(const LogEvent& e);  // render_json, parsed

// A random (version 4) UUID, as Okta's `uuid`.
std::string new_event_uuid(core::Random& random);

// A User-Agent value fit for an event: control characters dropped, at most 512 bytes.
std::string sanitize_user_agent(std::string_view ua);
// The same without a copy when `ua` is already fit (the token endpoint, once per request):
// `ua` itself, or the sanitised value in `buf`.
std::string_view sanitize_user_agent(std::string_view ua, std::string& buf);

// Actors and targets of the directory's objects.
LogActor system_actor();  // background jobs and the CLI
LogActor user_actor(const User& u);
LogTarget user_target(const User& u);
LogTarget group_target(const Group& g);
LogTarget token_target(const ApiToken& t);  // id and name only: never the value or its hint
std::string display_name(const User& u);      // "First Last", or the login

}  // namespace gh::domain
