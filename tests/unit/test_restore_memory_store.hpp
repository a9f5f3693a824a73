#pragma once
// An in-memory store::Store for the restore unit tests: a Reader is a copy of
// the data (so it shows one instant), a Writer works on its own copy that
// commit() publishes (so an uncommitted Writer leaves nothing behind), and a
// second Writer while one is open is Error(temp_fail), like BEGIN IMMEDIATE.

#include <crm/base/error.hpp>
#include <crm/restore/backup_source.hpp>
#include <crm/store/store.hpp>

#include <map>
#include <memory>
#include <set>
#include <tuple>

namespace crm::test {

struct MemoryData {
  store::Account account{"portal-1", "Acme", "store-aaaa", store::PlanTier::enterprise};
  std::vector<store::ObjectType> types;
  std::map<std::string, std::map<store::RecordId, std::map<std::string, std::string>>> records;
  std::map<std::string, std::set<store::RecordId>> recycle_bin;
  std::vector<store::Workflow> workflows;
  std::vector<store::User> users;
  std::vector<store::Import> imports;  // oldest first
  std::vector<store::AuditEntry> audit;
  std::vector<store::Notification> notifications;
  std::vector<std::tuple<std::int64_t, store::RecordId, UnixTime>> enrollments;
};

class MemoryReader : public store::Writer {
public:
  explicit MemoryReader(MemoryData data) : m_data(std::move(data)) {}

  store::Account account() override { return m_data.account; }
  std::vector<store::ObjectType> object_types() override { return m_data.types; }
  std::optional<store::ObjectType> find_object_type(std::string_view name_or_id) override
  {
    for (const auto& type : m_data.types)
      if (type.name == name_or_id || type.object_type_id == name_or_id)
        return type;
    return std::nullopt;
  }
  std::int64_t count_records(const store::ObjectType& type) override
  {
    return static_cast<std::int64_t>(m_data.records[type.name].size());
  }
  void scan_records(const store::ObjectType& type, std::span<const std::string> properties,
                    const store::RecordFn& fn) override
  {
    for (const auto& property : properties)
      if (type.find_property(property) == nullptr)
        throw Error(ErrorKind::data, "no property " + property);
    std::vector<std::string_view> values(properties.size());
    for (auto& [id, record] : m_data.records[type.name]) {
      for (std::size_t index = 0; index < properties.size(); ++index)
        values[index] = record[properties[index]];
      fn(id, values);
    }
  }
  void scan_deleted(const store::ObjectType& type, const std::function<void(store::RecordId)>& fn) override
  {
    for (const auto id : m_data.recycle_bin[type.name])
      fn(id);
  }
  std::vector<store::Workflow> workflows() override { return m_data.workflows; }
  std::optional<store::User> find_user(std::string_view name) override
  {
    for (const auto& user : m_data.users)
      if (user.name == name)
        return user;
    return std::nullopt;
  }
  std::vector<store::Import> imports() override { return {m_data.imports.rbegin(), m_data.imports.rend()}; }
  std::vector<store::Notification> notifications() override { return m_data.notifications; }
  std::vector<store::AuditEntry> audit_log() override { return m_data.audit; }

  void update_record(const store::ObjectType& type, store::RecordId id, std::span<const std::string> properties,
                     std::span<const std::string> values) override
  {
    auto& records = m_data.records[type.name];
    const auto found = records.find(id);
    if (found == records.end())
      throw Error(ErrorKind::not_found, "no record");
    for (std::size_t index = 0; index < properties.size(); ++index)
      found->second[properties[index]] = values[index];
  }
  std::int64_t add_import(const store::Import& import) override
  {
    m_data.imports.push_back(import);
    m_data.imports.back().id = static_cast<std::int64_t>(m_data.imports.size());
    return m_data.imports.back().id;
  }
  void add_audit(const store::AuditEntry& entry) override { m_data.audit.push_back(entry); }
  void add_notification(const store::Notification& notification) override
  {
    m_data.notifications.push_back(notification);
  }
  void enroll(std::int64_t workflow_id, store::RecordId record, UnixTime at) override
  {
    m_data.enrollments.emplace_back(workflow_id, record, at);
  }
  bool use_totp_step(std::string_view user, std::int64_t step) override
  {
    for (auto& candidate : m_data.users)
      if (candidate.name == user) {
        if (step <= candidate.last_totp_step)
          return false;
        candidate.last_totp_step = step;
        return true;
      }
    return false;
  }
  void commit() override {}

protected:
  MemoryData m_data;
};

class MemoryStore : public store::Store {
public:
  MemoryData data;

  std::unique_ptr<store::Reader> read() override { return std::make_unique<MemoryReader>(data); }

  std::unique_ptr<store::Writer> write() override
  {
    if (m_is_writing)
      throw Error(ErrorKind::temp_fail, "the store is busy");
    return std::make_unique<Writer>(*this);
  }

private:
  class Writer final : public MemoryReader {
  public:
    explicit Writer(MemoryStore& store) : MemoryReader(store.data), m_store(store) { m_store.m_is_writing = true; }
    ~Writer() override { m_store.m_is_writing = false; }
    void commit() override { m_store.data = m_data; }

  private:
    MemoryStore& m_store;
  };

  bool m_is_writing = false;
};

// A backup held in memory: one object, rows in id order.
class MemoryBackup final : public restore::BackupSource {
public:
  snapshot::ObjectEntry entry;
  std::vector<std::pair<store::RecordId, std::vector<std::string>>> rows;
  std::string made_from_store = "store-aaaa";
  restore::PlanSource source{"backup", "20260101T000000Z-abcd", "/backups/b.zip", "00", 1767225600, true, 0};

  const restore::PlanSource& description() const override { return source; }
  std::string store_id() const override { return made_from_store; }
  const snapshot::ObjectEntry* find(std::string_view name) const override
  {
    return name == entry.name || name == entry.object_type_id ? &entry : nullptr;
  }
  void scan(const snapshot::ObjectEntry&, const snapshot::BackupRecordFn& fn) override
  {
    for (const auto& [id, values] : rows)
      fn(id, values);
  }
};

}  // namespace crm::test
