#pragma once
// The engine parts that the composition root (src/server/app.cpp) builds once and hands to both
// the management API and the OAuth endpoints, for fixtures that build either.
#include <cstddef>

#include "oauth/client_auth/replay_cache.hpp"
#include "oauth/dpop/resource_request.hpp"
#include "oauth/endpoints.hpp"
#include "keys/signing_keys.hpp"
#include "oauth/verify/access_token_verifier.hpp"

namespace gh::testing {

struct EngineParts {
  EngineParts(keys::KeyRing& keyring, const core::Clock& clock, const model::Directory* directory = nullptr)
      : verifier(keyring, clock, std::chrono::seconds{0}, 10'000, directory), resource_proofs(clock, resource_dpop_jtis) {}
  oauth::SharedParts oauth() { return {verifier, assertion_jtis, token_dpop_jtis}; }

  static constexpr std::size_t kMaxDpopJtis = 500'000;
  oauth::AccessTokenVerifier verifier;
  oauth::ReplayCache assertion_jtis, token_dpop_jtis{kMaxDpopJtis}, resource_dpop_jtis{kMaxDpopJtis};
  oauth::dpop::ResourceProofs resource_proofs;
};

}  // namespace gh::testing
