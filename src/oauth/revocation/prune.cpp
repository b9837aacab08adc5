#include "oauth/revocation/prune.hpp"

#include <boost/json/value.hpp>

#include <shared_mutex>
#include <string>

#include "domain/documents.hpp"
#include "model/commit.hpp"
#include "oauth/verify/access_token_verifier.hpp"

namespace gh::oauth {

gh::Result<std::size_t> prune_revoked_tokens(store::Store& store, model::OrgModel& org, const core::Clock& clock) {
  const std::int64_t now = core::epoch_ms(clock.now()) / 1000;
  store::ChangeSet changes;
  {
    std::shared_lock lk(org.mutex());
    for (auto [jti, doc] : org.docs(domain::kind::revoked_token)) {
      if (changes.size() == kMaxPrunedPerRun) break;
      auto* v = doc.body.if_contains("exp");
      if (!v) continue;  // never written without exp (revocation.cpp); kept rather than guessed
      boost::system::error_code ec;
      auto exp = v->to_number<std::int64_t>(ec);
      // RFC 7519 §4.1.4: refused as expired from exp (+ skew) on, whatever the revocation set says.
      if (ec || now < exp + kMaxClockSkew.count()) continue;
      changes.push_back(store::DeleteDocument{std::string(domain::kind::revoked_token), std::string(jti)});
    }
  }
  if (changes.empty()) return std::size_t{0};
  // Only the writer thread changes the model: what was read above still holds.
  if (auto r = model::commit_and_apply(store, org, changes); !r) return r.error();
  return changes.size();
}

}  // namespace gh::oauth
