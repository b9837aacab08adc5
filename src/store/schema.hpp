#pragma once
// Opening a store whose schema is newer than this build's migrations (a newer Gatehouse ran
// `gatehouse migrate`): the node refuses to start rather than write rows it does not understand.
#include <stdexcept>
#include <string>

namespace gh::store {

struct SchemaTooNew : std::runtime_error {
  SchemaTooNew(long have, long known)
      : std::runtime_error("the store's schema is version " + std::to_string(have) +
                           ", newer than this build knows (" + std::to_string(known) +
                           "); run the Gatehouse release that migrated it, or a newer one") {}
};

}  // namespace gh::store
