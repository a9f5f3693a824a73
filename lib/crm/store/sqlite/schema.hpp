#pragma once
// The store's schema version (PRAGMA user_version) and the migrations that
// reach it. Version N is reached by running migrations[0..N-1] in order, each
// in the same write transaction as the version bump; version 2 will be one
// more function in the list (docs/store-schema.md).

#include <crm/sql/database.hpp>

#include <span>

namespace crm::store::sqlite {

using Migration = void (*)(sql::Database& database);

// The migrations this build knows, oldest first.
std::span<const Migration> migrations();
// The schema version this build writes: migrations().size().
int current_schema_version();

// Brings `database` (version >= 1, or 0 for a new empty file) up to
// migrations.size() inside one BEGIN IMMEDIATE transaction.
void migrate(sql::Database& database, std::span<const Migration> migrations);

// Checks that `database` is a store this build can use: Error(data) when it
// is not a store (or not SQLite), Error(config) when its schema is newer than
// this build (or older, when it cannot be upgraded because `is_writable` is
// false). Upgrades an older store when `is_writable`.
void check_and_upgrade(sql::Database& database, bool is_writable);

}  // namespace crm::store::sqlite
