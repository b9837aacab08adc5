#pragma once
// Online copies of a SQLite database (gatehouse backup / restore; docs/deployment.md "Backups").
#include <optional>
#include <string>

namespace gh::store {

// Copies the database at `from` into the new file `to`, consistent as of one moment while other
// connections (a serving node) go on writing: SQLite's online backup API in one step, which is
// one read transaction (WAL: writers are not held up). The copy is written to a temporary file
// of `to`'s folder, mode 0600, fsynced, checked (PRAGMA quick_check) and then linked to `to`,
// which must not exist (never overwritten). The failure as a message for an operator, or none.
std::optional<std::string> copy_sqlite_database(const std::string& from, const std::string& to);

// Checks that `path` is a SQLite database that passes PRAGMA quick_check and holds Gatehouse's
// schema (its schema_version and orgs tables). The failure as a message, or none.
std::optional<std::string> check_gatehouse_database(const std::string& path);

}  // namespace gh::store
