#include "crm/store/sqlite/admin.hpp"

#include <crm/base/error.hpp>
#include <crm/store/sqlite/basic_reader.hpp>
#include <crm/store/sqlite/names.hpp>
#include <crm/store/sqlite/schema.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::store::sqlite {

namespace {

std::string to_json_list(const std::vector<std::string>& items) { return nlohmann::json(items).dump(); }

bool exists_row(sql::Database& database, std::string_view sql_text, std::string_view first, std::string_view second)
{
  auto statement = database.prepare(sql_text);
  statement.bind(1, first).bind(2, second);
  return statement.step();
}

void insert_property(sql::Database& database, std::string_view object_name, const Property& property)
{
  validate_name(property.name, "property");
  if (property.name == "hs_object_id" ||
      exists_row(database, "SELECT 1 FROM properties WHERE object_type = ?1 AND name = ?2", object_name, property.name))
    throw Error(ErrorKind::data, fmt::format("{} already has a property '{}'", object_name, property.name),
                "choose another name");
  auto statement = database.prepare(
      "INSERT INTO properties (object_type, name, label, type, options, is_read_only, sensitivity, position) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "(SELECT coalesce(max(position), 0) + 1 FROM properties WHERE object_type = ?1))");
  statement.bind(1, object_name)
      .bind(2, property.name)
      .bind(3, property.label)
      .bind(4, to_string(property.type))
      .bind(5, to_json_list(property.options))
      .bind(6, property.is_read_only ? 1 : 0)
      .bind(7, to_string(property.sensitivity));
  statement.run();
  // SQLite's limit of 2000 columns per table bounds the properties of one
  // object; ALTER TABLE fails cleanly beyond it and the transaction rolls back.
  database.exec(fmt::format("ALTER TABLE {} ADD COLUMN {} TEXT", quoted_record_table(object_name),
                            sql::quote_identifier(property.name)));
}

}  // namespace

void create_store(const std::filesystem::path& path, const Account& account)
{
  std::error_code error;
  if (std::filesystem::exists(path, error))
    throw Error(ErrorKind::cannot_create, fmt::format("{} already exists", path.string()),
                "choose another path or remove the old store first");
  try {
    sql::Database database(path, sql::OpenMode::create, "store");
    database.exec("PRAGMA journal_mode = WAL");
    migrate(database, migrations());
    auto statement = database.prepare(
        "INSERT INTO account (id, name, store_id, tier) VALUES (?1, ?2, lower(hex(randomblob(16))), ?3)");
    statement.bind(1, account.id).bind(2, account.name).bind(3, to_string(account.tier));
    statement.run();
  } catch (const Error& failure) {
    if (failure.kind() == ErrorKind::not_found)
      throw Error(ErrorKind::cannot_create, fmt::format("cannot create the store {}", path.string()),
                  "check that its directory exists and is writable");
    throw;
  }
}

Admin::Admin(const std::filesystem::path& path) : m_connection(path, true) { check_and_upgrade(database(), true); }

void Admin::add_object_type(const ObjectType& type)
{
  validate_name(type.name, "object type");
  sql::Transaction transaction(database(), sql::TransactionKind::immediate);
  if (exists_row(database(), "SELECT 1 FROM object_types WHERE name = ?1 OR object_type_id = ?2", type.name,
                 type.object_type_id))
    throw Error(ErrorKind::data,
                fmt::format("the store already has an object type '{}' or '{}'", type.name, type.object_type_id),
                "choose another name");
  auto statement =
      database().prepare("INSERT INTO object_types (name, object_type_id, singular, is_restorable, table_name) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)");
  statement.bind(1, type.name)
      .bind(2, type.object_type_id)
      .bind(3, type.singular)
      .bind(4, type.is_restorable ? 1 : 0)
      .bind(5, fmt::format("records_{}", type.name));
  statement.run();
  database().exec(fmt::format("CREATE TABLE {} (hs_object_id INTEGER PRIMARY KEY)", quoted_record_table(type.name)));
  for (const auto& property : type.properties)
    insert_property(database(), type.name, property);
  transaction.commit();
}

void Admin::add_property(std::string_view object_name, const Property& property)
{
  sql::Transaction transaction(database(), sql::TransactionKind::immediate);
  load_object_type(database(), object_name);  // Error(not_found) for an unknown object
  insert_property(database(), object_name, property);
  transaction.commit();
}

void Admin::add_user(const User& user, std::string_view totp_secret)
{
  auto statement = database().prepare(
      "INSERT INTO users (name, is_super_admin, uses_sso, totp_secret, last_totp_step) VALUES (?1, ?2, ?3, ?4, -1)");
  statement.bind(1, user.name)
      .bind(2, user.is_super_admin ? 1 : 0)
      .bind(3, user.uses_sso ? 1 : 0)
      .bind(4, totp_secret.empty() ? std::string_view("") : totp_secret);  // "" not NULL
  statement.run();
}

std::int64_t Admin::add_workflow(const Workflow& workflow)
{
  auto statement = database().prepare(
      "INSERT INTO workflows (name, object_type_id, trigger_properties, allows_reenrollment, is_enabled) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  statement.bind(1, workflow.name)
      .bind(2, workflow.object_type_id)
      .bind(3, to_json_list(workflow.trigger_properties))
      .bind(4, workflow.allows_reenrollment ? 1 : 0)
      .bind(5, workflow.is_enabled ? 1 : 0);
  statement.run();
  return database().last_insert_rowid();
}

void Admin::delete_record(std::string_view object_name, RecordId id, UnixTime deleted_at)
{
  sql::Transaction transaction(database(), sql::TransactionKind::immediate);
  const auto type = load_object_type(database(), object_name);
  const auto table = quoted_record_table(type.name);
  auto select = database().prepare(
      fmt::format("SELECT {} FROM {} WHERE hs_object_id = ?1", record_columns(type, property_names(type)), table));
  select.bind(1, id);
  if (!select.step())
    throw Error(ErrorKind::not_found, fmt::format("{} record {} does not exist", type.name, id));
  nlohmann::json values = nlohmann::json::object();
  int column = 1;
  for (const auto& property : type.properties) {
    if (const auto value = select.text(column++); !value.empty())
      values[property.name] = std::string(value);
  }
  auto insert = database().prepare(
      "INSERT INTO recycle_bin (object_type, hs_object_id, deleted_at, \"values\") VALUES (?1, ?2, ?3, ?4)");
  insert.bind(1, type.name).bind(2, id).bind(3, deleted_at).bind(4, values.dump());
  insert.run();
  auto remove = database().prepare(fmt::format("DELETE FROM {} WHERE hs_object_id = ?1", table));
  remove.bind(1, id);
  remove.run();
  transaction.commit();
}

void Admin::begin_bulk_load() { database().exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF"); }

void Admin::end_bulk_load() { database().exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL"); }

RecordInserter::RecordInserter(Admin& admin, std::string_view object_name, std::span<const std::string> properties)
    : m_transaction(admin.database(), sql::TransactionKind::immediate),
      m_statement(admin.database(),
                  [&] {
                    const auto type = load_object_type(admin.database(), object_name);
                    std::string parameters = "?1";
                    for (std::size_t parameter = 2; parameter <= properties.size() + 1; ++parameter)
                      parameters += fmt::format(", ?{}", parameter);
                    return fmt::format("INSERT INTO {} ({}) VALUES ({})", quoted_record_table(type.name),
                                       record_columns(type, properties), parameters);
                  }()),
      m_property_count(properties.size())
{
}

void RecordInserter::insert(RecordId id, std::span<const std::string_view> values)
{
  if (values.size() != m_property_count)
    throw Error(ErrorKind::internal, "RecordInserter::insert got the wrong number of values");
  m_statement.bind(1, id);
  int parameter = 2;
  for (const auto value : values) {
    if (value.empty())
      m_statement.bind_null(parameter++);
    else
      m_statement.bind(parameter++, value);
  }
  m_statement.run();
}

void RecordInserter::commit() { m_transaction.commit(); }

}  // namespace crm::store::sqlite
