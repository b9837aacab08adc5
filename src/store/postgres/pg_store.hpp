#pragma once
#include <memory>
#include <string>

#include "store/store.hpp"

namespace gh::store {

// True for the URLs the PostgreSQL backend takes: postgresql://… and postgres://….
bool is_postgres_url(const std::string& store);

// Connects to the PostgreSQL database at `url` and applies the embedded migrations
// (migrations/*.sql) that it lacks, under an advisory lock so that nodes starting together
// migrate once. Throws std::runtime_error when it cannot connect or migrate (the message never
// holds the URL's password) and SchemaTooNew (store/schema.hpp) on a newer schema. Start-up only.
// The store keeps one synchronous connection, used under its mutex by the writer lane and, at
// start-up, the main thread; a lost connection is reopened on the next call (Errc::unavailable
// while PostgreSQL cannot be reached). Every commit of a ChangeSet and every org creation sends a
// change notice naming the org and `node_id` (change_listener.hpp; "cli" when empty).
std::unique_ptr<Store> open_postgres_store(const std::string& url, std::string node_id = {});

// `url` with its password masked, for logs and messages.
std::string redact_postgres_url(const std::string& url);

// The schema version of the database at `url` after migrating it (`gatehouse migrate`).
int migrate_postgres(const std::string& url);

}  // namespace gh::store
