#pragma once
// System Log events of the management API (okta-compat.md §5 "System log event"; issue #4).
//
// Events that record a change are derived from the ChangeSet itself, compared with the model
// before it is applied (describe_changes), and committed in the same transaction by api::commit:
// a change that fails writes no event, and no handler can forget its event. Events that record no
// change (first use of an API token, rate-limit violations) go to the EventQueue in Deps.
//
// Events carry ids, names, types, statuses and reasons only (domain/log_event.hpp), never a
// credential: a secret's value, MAC or hint, a token, an assertion or a header other than
// User-Agent.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/common/context.hpp"
#include "domain/log_event.hpp"

namespace gh::api::audit {

// The parts every event of a request shares: uuid, published (now), client (IP, User-Agent),
// transaction (the request id), debugData (requestId, requestUri). No actor.
domain::LogEvent base_event(const Deps& deps, const http::Request& req, std::string_view type,
                            std::string display_message);

// An event of `type` made by the request's principal: uuid, published (now), actor, client,
// transaction (the request id; requestApiTokenId for SSWS), debugData (requestId, requestUri).
domain::LogEvent request_event(const Ctx& ctx, std::string_view type, std::string display_message,
                               std::vector<domain::LogTarget> targets);

// The events describing `changes` (AppendEvent entries), for ctx.org as it is before they are
// applied. Caller holds the org lock (shared). Changes that are themselves AppendEvent are skipped.
store::ChangeSet describe_changes(const Ctx& ctx, const store::ChangeSet& changes);

// system.api_token.first_used: the first request authenticated with an API token (queued).
void record_first_use(const Deps& deps, const http::Request& req, const model::OrgModel& org,
                      const domain::ApiToken& token, const domain::User& owner);

// system.org.rate_limit.violation: a management API request refused with 429 (queued). `family`
// names the bucket ("users", "logs", ...).
void record_rate_limit_violation(const Deps& deps, const http::Request& req, const model::OrgModel& org,
                                 std::string_view family, const Principal& principal);

// At most one rate-limit violation event per org and endpoint family per minute, so that a client
// hammering a limit cannot flood the System Log. Thread-safe.
class ViolationThrottle {
 public:
  bool should_record(std::string_view org_id, std::string_view family, std::int64_t now_ms);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::int64_t> last_ms_;
};

// The actor of an authenticated principal: the token's owner (SSWS) or the OAuth client (Bearer).
domain::LogActor actor_of(const Principal& p, const model::OrgModel& org);

// The AppInstance target of an app document.
domain::LogTarget app_target(const domain::Document& app);

}  // namespace gh::api::audit
