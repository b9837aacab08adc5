#pragma once
// `gatehouse backup` and `gatehouse restore` (SQLite; docs/deployment.md "Backups"). The master
// key is never part of a backup: it is kept apart (it opens the sealed signing keys and peppers
// every credential), and a restored directory needs the same one.
#include <string>

namespace gh::server {

// Copies the SQLite database of `data_dir` into the new file `out` (0600), online and consistent
// while a server serves it. Exit code 0; 2 when refused (not initialised, a PostgreSQL data dir,
// `out` exists); 1 when the copy failed.
int run_backup(const std::string& data_dir, const std::string& out);

// Makes `data_dir` (missing, empty, or holding only the master key) serve the data of `backup`:
// the database checked and copied in (0600), the store kind, an empty single-use journal (the
// restored data served before: keys issued before the first start are refused, okta-compat.md
// §11.33), and `master_key_file` copied in when given. Refuses (exit 2) a directory that holds a
// database or anything else of a data directory, so never a running node's. Exit code 0, 1 when
// a copy failed.
int run_restore(const std::string& backup, const std::string& data_dir, const std::string& master_key_file);

}  // namespace gh::server
