#pragma once
// A ledger of single-use values shared by every node of one store (issue 18, many nodes): a
// value claimed once is refused by every node until it expires (client assertion jti, RFC 7523
// §3 item 7; DPoP proof jti, RFC 9449 §11.1). No SQL here; PostgreSQL's is
// store/postgres/single_use_ledger.
#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace gh::store {

class SingleUseLedger {
 public:
  virtual ~SingleUseLedger() = default;
  // Records `key` until `expires_at` (epoch seconds). true: fresh (recorded now, durably);
  // false: already recorded and not expired at `now`. Of concurrent claims of one key, on any
  // nodes, exactly one is fresh. Errc::unavailable (or another store error) when the ledger
  // cannot answer: the caller refuses the value (fail closed). May block on the network.
  virtual gh::Result<bool> claim(std::string_view key, std::int64_t expires_at, std::int64_t now) = 0;
};

}  // namespace gh::store
