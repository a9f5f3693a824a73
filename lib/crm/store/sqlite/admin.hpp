#pragma once
// The embedded store's administration, for crm-demo and tests only: what the
// hosted CRM's own screens would do (make an account, define objects and
// properties, add users and workflows, delete records). Not part of the Store
// interface; backup and restore never need it.

#include <crm/store/model.hpp>
#include <crm/store/sqlite/connection.hpp>

#include <filesystem>
#include <span>

namespace crm::store::sqlite {

// Creates an empty store (schema, WAL mode, the account with a fresh random
// store_id; account.store_id is ignored). The file is made 0600.
// Error(cannot_create) when `path` exists or cannot be made.
void create_store(const std::filesystem::path& path, const Account& account);

class Admin {
public:
  // Opens an existing store read-write (upgrading an older schema).
  explicit Admin(const std::filesystem::path& path);

  // Adds an object type with its properties and makes its record table.
  void add_object_type(const ObjectType& type);
  // Adds a property at any time: one ALTER TABLE ADD COLUMN, no row rewritten.
  // Error(data) for an invalid or duplicate name.
  void add_property(std::string_view object_name, const Property& property);
  // `totp_secret` (base32, "" for none) is the second factor the store
  // verifies restores against (Store::second_factor_secret).
  void add_user(const User& user, std::string_view totp_secret = {});
  // Returns the new workflow's id (workflow.id is ignored).
  std::int64_t add_workflow(const Workflow& workflow);
  // Moves a record into the recycle bin with its values (as JSON).
  // Error(not_found) when it does not exist.
  void delete_record(std::string_view object_name, RecordId id, UnixTime deleted_at);

  // Fast filling of a store nobody else uses yet: no journal and no fsync
  // until end_bulk_load(), which returns the file to WAL mode. A crash in
  // between leaves a store to throw away (crm-demo builds under a temporary
  // name for that reason).
  void begin_bulk_load();
  void end_bulk_load();

  sql::Database& database() { return m_connection.database(); }

private:
  Connection m_connection;
};

// Inserts many records of one object type fast: one transaction, one prepared
// statement. Nothing is visible before commit(); destroying an uncommitted
// inserter rolls back.
class RecordInserter {
public:
  RecordInserter(Admin& admin, std::string_view object_name, std::span<const std::string> properties);

  // `values` parallel to the properties; "" stores no value.
  void insert(RecordId id, std::span<const std::string_view> values);
  void commit();

private:
  sql::Transaction m_transaction;
  sql::Statement m_statement;
  std::size_t m_property_count;
};

}  // namespace crm::store::sqlite
