#pragma once
// Signing keys of the org authorization server (as_id "") and of custom authorization servers:
// documents of kind signing_key (domain/documents.hpp), the private key sealed under the master
// key. Body: {"kid","alg","status":"ACTIVE|NEXT|EXPIRED","created","lastUpdated",
//             "jwk":{public JWK with kid, alg, use:"sig"}, "_gh":{"sealed": "<Sealer output>"}}.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/random.hpp"
#include "core/result.hpp"
#include "crypto/sealer.hpp"
#include "domain/documents.hpp"
#include "jose/alg.hpp"
#include "jose/jwk.hpp"
#include "model/org_model.hpp"

namespace gh::keys {

// A new signing key document for `as_id` with `status` (ACTIVE or NEXT).
gh::Result<domain::Document> new_signing_key(jose::Alg alg, std::string as_id, std::string_view status,
                                         const crypto::Sealer& sealer, core::Random& random,
                                         domain::Millis now);

// The signing keys of `as_id` in `org` with `status`, newest first. Caller holds the org lock.
std::vector<const domain::Document*> signing_keys(const model::OrgModel& org, std::string_view as_id,
                                                  std::string_view status = {});

// Unsealed and parsed keys, cached by (org, kid): keys never change once created, only their
// status does, and the status is read from the model at each call. Thread-safe.
class KeyRing {
 public:
  explicit KeyRing(const crypto::Sealer& sealer) : sealer_(sealer) {}
  // The ACTIVE private key of `as_id`, or null. Caller holds the org lock shared.
  std::shared_ptr<const jose::Jwk> active(const model::OrgModel& org, std::string_view as_id);
  // The key `kid` of `as_id` if it may verify tokens (ACTIVE, NEXT or EXPIRED still published).
  std::shared_ptr<const jose::Jwk> verifier(const model::OrgModel& org, std::string_view as_id,
                                            std::string_view kid);
  // {"keys":[...]} of `as_id`: ACTIVE, NEXT and EXPIRED keys, public members only.
  std::string jwks_json(const model::OrgModel& org, std::string_view as_id);

 private:
  std::shared_ptr<const jose::Jwk> load(const model::OrgModel& org, const domain::Document& doc);

  const crypto::Sealer& sealer_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const jose::Jwk>> keys_;  // org/kid → key
  struct CachedJwks {
    std::uint64_t version;
    std::string json;
  };
  std::unordered_map<std::string, CachedJwks> jwks_;  // org/as → JWKS
};

}  // namespace gh::keys
