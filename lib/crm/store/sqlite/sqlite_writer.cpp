#include "crm/store/sqlite/sqlite_writer.hpp"

#include <crm/base/error.hpp>
#include <crm/store/sqlite/names.hpp>

#include <fmt/format.h>

namespace crm::store::sqlite {

SqliteWriter::SqliteWriter(const std::filesystem::path& path) : BasicReader<Writer>(path, true)
{
  try {
    m_transaction.emplace(database(), sql::TransactionKind::immediate);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::temp_fail)
      throw;
    throw Error(ErrorKind::temp_fail,
                fmt::format("the store {} is busy: another process is writing to it", path.string()),
                "run again when it has finished");
  }
}

std::vector<UpdateOutcome> SqliteWriter::update_records(const ObjectType& type, std::span<const RecordUpdate> batch)
{
  std::vector<UpdateOutcome> outcomes;
  outcomes.reserve(batch.size());
  for (const auto& update : batch) {
    if (update_record(type, update))
      outcomes.push_back({update.id, UpdateStatus::applied, {}});
    else
      outcomes.push_back(
          {update.id, UpdateStatus::not_found, fmt::format("{} record {} does not exist", type.name, update.id)});
  }
  return outcomes;
}

bool SqliteWriter::update_record(const ObjectType& type, const RecordUpdate& update)
{
  const auto& properties = update.properties;
  const auto& values = update.values;
  if (properties.size() != values.size())
    throw Error(ErrorKind::internal, "update_record got different numbers of properties and values");
  validate_name(type.name, "object type");
  std::string key = type.name;
  for (const auto& property : properties) {
    key += '\n';
    key += property;
  }
  auto cached = m_update_statements.find(key);
  if (cached == m_update_statements.end()) {
    std::string assignments;
    int parameter = 1;
    for (const auto& property : properties) {
      require_property(type, property);
      assignments +=
          fmt::format("{}{} = ?{}", assignments.empty() ? "" : ", ", sql::quote_identifier(property), parameter++);
    }
    if (assignments.empty())
      assignments = "hs_object_id = hs_object_id";
    auto statement = std::make_unique<sql::Statement>(
        database(), fmt::format("UPDATE {} SET {} WHERE hs_object_id = ?{}", quoted_record_table(type.name),
                                assignments, parameter));
    cached = m_update_statements.emplace(std::move(key), std::move(statement)).first;
  }
  auto& statement = *cached->second;
  int parameter = 1;
  for (const auto& value : values) {
    if (value.empty())
      statement.bind_null(parameter++);  // NULL and '' both mean "no value"; NULL is smaller
    else
      statement.bind(parameter++, value);
  }
  statement.bind(parameter, update.id);
  statement.run();
  return database().changes() != 0;
}

std::int64_t SqliteWriter::add_import(const Import& import)
{
  auto statement = database().prepare(
      "INSERT INTO imports (name, object_type_id, state, user, created_at, records_updated, values_set, "
      "values_cleared, details_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  statement.bind(1, import.name)
      .bind(2, import.object_type_id)
      .bind(3, import.state)
      .bind(4, import.user)
      .bind(5, import.created_at)
      .bind(6, import.records_updated)
      .bind(7, import.values_set)
      .bind(8, import.values_cleared)
      .bind(9, import.details_json.empty() ? std::string_view("{}") : std::string_view(import.details_json));
  statement.run();
  return database().last_insert_rowid();
}

void SqliteWriter::add_audit(const AuditEntry& entry)
{
  auto statement = database().prepare("INSERT INTO audit_log (at, user, action, details_json) VALUES (?1, ?2, ?3, ?4)");
  statement.bind(1, entry.at)
      .bind(2, entry.user)
      .bind(3, entry.action)
      .bind(4, entry.details_json.empty() ? std::string_view("{}") : std::string_view(entry.details_json));
  statement.run();
}

void SqliteWriter::add_notification(const Notification& notification)
{
  auto statement = database().prepare("INSERT INTO notifications (at, user, kind, message) VALUES (?1, ?2, ?3, ?4)");
  statement.bind(1, notification.at)
      .bind(2, notification.user)
      .bind(3, notification.kind)
      .bind(4, notification.message);
  statement.run();
}

void SqliteWriter::enroll(std::int64_t workflow_id, RecordId record, UnixTime at)
{
  auto statement = database().prepare(
      "INSERT INTO workflow_enrollments (workflow_id, hs_object_id, enrolled_at) VALUES (?1, ?2, ?3)");
  statement.bind(1, workflow_id).bind(2, record).bind(3, at);
  statement.run();
}

void SqliteWriter::commit()
{
  if (!m_transaction)
    throw Error(ErrorKind::internal, "the store writer was committed twice");
  m_update_statements.clear();
  m_transaction->commit();
  m_transaction.reset();
}

}  // namespace crm::store::sqlite
