#include "crm/store/sqlite/schema.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

#include <array>

namespace crm::store::sqlite {

namespace {

// Version 1: the metadata tables. Record tables ("records_<object>") are made
// when an object type is added; docs/store-schema.md describes every column.
void create_version_1(sql::Database& database)
{
  database.exec(R"sql(
CREATE TABLE account (
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  store_id TEXT NOT NULL,
  tier TEXT NOT NULL CHECK (tier IN ('starter', 'professional', 'enterprise'))
);
CREATE TABLE object_types (
  name TEXT PRIMARY KEY,
  object_type_id TEXT NOT NULL UNIQUE,
  singular TEXT NOT NULL,
  is_restorable INTEGER NOT NULL,
  table_name TEXT NOT NULL UNIQUE
);
CREATE TABLE properties (
  object_type TEXT NOT NULL REFERENCES object_types(name),
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  type TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '[]',
  is_read_only INTEGER NOT NULL DEFAULT 0,
  sensitivity TEXT NOT NULL DEFAULT 'non_sensitive',
  position INTEGER NOT NULL,
  PRIMARY KEY (object_type, name)
);
CREATE TABLE recycle_bin (
  object_type TEXT NOT NULL REFERENCES object_types(name),
  hs_object_id INTEGER NOT NULL,
  deleted_at INTEGER NOT NULL,
  "values" TEXT NOT NULL,
  PRIMARY KEY (object_type, hs_object_id)
);
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  is_super_admin INTEGER NOT NULL DEFAULT 0,
  uses_sso INTEGER NOT NULL DEFAULT 0,
  totp_secret TEXT NOT NULL DEFAULT '',
  last_totp_step INTEGER NOT NULL DEFAULT -1
);
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  object_type_id TEXT NOT NULL,
  state TEXT NOT NULL,
  user TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  records_updated INTEGER NOT NULL,
  values_set INTEGER NOT NULL,
  values_cleared INTEGER NOT NULL,
  details_json TEXT NOT NULL
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user TEXT NOT NULL,
  action TEXT NOT NULL,
  details_json TEXT NOT NULL
);
CREATE TABLE workflows (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  object_type_id TEXT NOT NULL,
  trigger_properties TEXT NOT NULL,
  allows_reenrollment INTEGER NOT NULL,
  is_enabled INTEGER NOT NULL
);
CREATE TABLE workflow_enrollments (
  id INTEGER PRIMARY KEY,
  workflow_id INTEGER NOT NULL REFERENCES workflows(id),
  hs_object_id INTEGER NOT NULL,
  enrolled_at INTEGER NOT NULL
);
)sql");
}

constexpr std::array<Migration, 1> k_migrations{create_version_1};

bool has_account_table(sql::Database& database)
{
  auto statement = database.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'account'");
  statement.step();
  return statement.integer(0) == 1;
}

}  // namespace

std::span<const Migration> migrations() { return k_migrations; }
int current_schema_version() { return static_cast<int>(k_migrations.size()); }

void migrate(sql::Database& database, std::span<const Migration> all_migrations)
{
  sql::Transaction transaction(database, sql::TransactionKind::immediate);
  for (auto version = static_cast<std::size_t>(database.user_version()); version < all_migrations.size(); ++version)
    all_migrations[version](database);
  database.set_user_version(static_cast<int>(all_migrations.size()));
  transaction.commit();
}

void check_and_upgrade(sql::Database& database, bool is_writable)
{
  const auto path = database.path().string();
  int version = 0;
  try {
    version = database.user_version();
    if (version == 0 || !has_account_table(database))
      throw Error(ErrorKind::data, fmt::format("{} is not a CRM store", path), "check the path");
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::data)
      throw;
    // Not SQLite at all, or SQLite without our tables: one message for both.
    throw Error(ErrorKind::data, fmt::format("{} is not a CRM store", path), "check the path");
  }
  const int known = current_schema_version();
  if (version > known)
    throw Error(ErrorKind::config,
                fmt::format("store schema version {} is newer than this tool understands ({})", version, known),
                "upgrade crm-backup");
  if (version < known) {
    if (!is_writable)
      throw Error(ErrorKind::config,
                  fmt::format("store schema version {} is older than this tool's ({})", version, known),
                  "open the store once with a command that writes to it, which upgrades it");
    migrate(database, migrations());
  }
}

}  // namespace crm::store::sqlite
