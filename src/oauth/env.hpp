#pragma once
// What the protocol engine needs from the server (built in server/, shared, thread-safe).
#include "core/clock.hpp"
#include "core/random.hpp"
#include "crypto/mac.hpp"
#include "model/directory.hpp"
#include "oauth/client_auth/jwks_cache.hpp"
#include "keys/signing_keys.hpp"
#include "store/event_queue.hpp"
#include "store/store.hpp"

namespace gh::oauth {

struct Env {
  model::Directory& directory;
  store::Store& store;
  const core::Clock& clock;
  core::Random& random;
  const crypto::Pepper& pepper;
  keys::KeyRing& keyring;
  // System Log events of token requests (issue #4), written in batches; null: not recorded.
  store::EventQueue* events = nullptr;
  JwksCache* jwks_cache = nullptr;  // keys of apps with a jwks_uri; null: such apps cannot authenticate
};

}  // namespace gh::oauth
