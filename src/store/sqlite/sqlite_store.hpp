#pragma once
#include <memory>
#include <string>

#include "store/store.hpp"

namespace gh::store {

// Opens (creating if needed) the SQLite database at `path` in WAL mode with synchronous=FULL and
// applies the embedded migrations. Throws std::runtime_error on failure (start-up only).
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

}  // namespace gh::store
