#pragma once
// A Writer over the embedded store: its own connection holding one
// BEGIN IMMEDIATE transaction, so a second writer waits (busy timeout) and
// then fails with Error(temp_fail) instead of interleaving.

#include <crm/store/sqlite/basic_reader.hpp>

#include <map>
#include <memory>

namespace crm::store::sqlite {

class SqliteWriter final : public BasicReader<Writer>, public CrmActivity {
public:
  explicit SqliteWriter(const std::filesystem::path& path);

  std::vector<UpdateOutcome> update_records(const ObjectType& type, std::span<const RecordUpdate> batch) override;
  void commit() override;
  CrmActivity* activity() override { return this; }

  std::int64_t add_import(const Import& import) override;
  void add_audit(const AuditEntry& entry) override;
  void add_notification(const Notification& notification) override;
  void enroll(std::int64_t workflow_id, RecordId record, UnixTime at) override;

private:
  // True when the record exists (and was updated).
  bool update_record(const ObjectType& type, const RecordUpdate& update);

  std::optional<sql::Transaction> m_transaction;
  // update_record's statements by "<object>\n<property>\n<property>...": a
  // restore updates thousands of records with the same property list.
  std::map<std::string, std::unique_ptr<sql::Statement>, std::less<>> m_update_statements;
};

}  // namespace crm::store::sqlite
