#include "api/tokens/expiry.hpp"

#include <mutex>
#include <shared_mutex>

#include "core/time_format.hpp"
#include "domain/log_event.hpp"
#include "model/commit.hpp"

namespace gh::api {

namespace {
constexpr std::size_t kMaxPerRun = 1000;  // one small transaction; the rest expire a minute later
}  // namespace

gh::Result<std::size_t> expire_idle_tokens(Deps& deps, model::OrgModel& org) {
  auto now = core::epoch_ms(deps.clock.now());
  store::ChangeSet changes;
  std::size_t expired = 0;
  {
    std::shared_lock lk(org.mutex());
    for (const auto& [id, entry] : org.tokens()) {
      if (expired == kMaxPerRun) break;
      auto last = entry.last_used.load(std::memory_order_relaxed);
      if (now - last <= deps.limits.api_token_idle.count()) continue;  // as the SSWS check
      auto tok = entry.token();
      tok.revoked = true;
      tok.last_updated = now;
      tok.last_used = last;
      domain::LogEvent e;
      e.uuid = domain::new_event_uuid(deps.random);
      e.published = now;
      e.event_type = "system.api_token.expire";
      e.display_message = "API token expired after the token window without use";
      e.actor = domain::system_actor();
      e.transaction_type = "JOB";
      e.target = {domain::token_target(tok)};
      if (auto* owner = org.user(core::UserId{tok.user_id})) e.target.push_back(domain::user_target(owner->user));
      e.debug_data["lastUsed"] = core::format_iso8601(core::from_epoch_ms(last));
      changes.push_back(store::PutApiToken{std::move(tok)});
      changes.push_back(store::AppendEvent{std::move(e)});
      ++expired;
    }
  }
  if (changes.empty()) return std::size_t{0};
  if (auto r = model::commit_and_apply(deps.store, org, changes); !r) return r.error();
  return expired;
}

}  // namespace gh::api
