#pragma once
// A Writer over the embedded store: its own connection holding one
// BEGIN IMMEDIATE transaction, so a second writer waits (busy timeout) and
// then fails with Error(temp_fail) instead of interleaving.

#include <crm/store/sqlite/basic_reader.hpp>

#include <map>
#include <memory>

namespace crm::store::sqlite {

class SqliteWriter final : public BasicReader<Writer> {
public:
  explicit SqliteWriter(const std::filesystem::path& path);

  void update_record(const ObjectType& type, RecordId id, std::span<const std::string> properties,
                     std::span<const std::string> values) override;
  std::int64_t add_import(const Import& import) override;
  void add_audit(const AuditEntry& entry) override;
  void add_notification(const Notification& notification) override;
  void enroll(std::int64_t workflow_id, RecordId record, UnixTime at) override;
  bool use_totp_step(std::string_view user, std::int64_t step) override;
  void commit() override;

private:
  std::optional<sql::Transaction> m_transaction;
  // update_record's statements by "<object>\n<property>\n<property>...": a
  // restore updates thousands of records with the same property list.
  std::map<std::string, std::unique_ptr<sql::Statement>, std::less<>> m_update_statements;
};

}  // namespace crm::store::sqlite
