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
  std::map<std::string, std::string> totp_secrets;  // by user: the second factor the store knows
  std::vector<store::Import> imports;               // oldest first
  std::vector<store::AuditEntry> audit;
  std::vector<store::Notification> notifications;
  std::vector<std::tuple<std::int64_t, store::RecordId, UnixTime>> enrollments;
  // What an API backend adds: what it could not read, how many records
  // changed while a backup ran, and reads by id that ask up to 100 ahead.
  std::vector<store::Gap> gaps;
  std::int64_t modified_since = 0;
  bool reads_ahead = false;
};

// The port's read half over a copy of the data: six overrides.
class MemoryReader : public store::Writer {
public:
  explicit MemoryReader(MemoryData data) : m_data(std::move(data)) {}

  store::Account account() override { return m_data.account; }
  std::vector<store::ObjectType> object_types() override { return m_data.types; }
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
  std::vector<store::User> users() override { return m_data.users; }
  std::vector<store::Gap> gaps() override { return m_data.gaps; }
  std::int64_t count_modified_since(const store::ObjectType&, UnixTime) override { return m_data.modified_since; }
  // Like HubSpot's batch read: takes up to 100 ids, then answers those that exist.
  void read_records(const store::ObjectType& type, std::span<const std::string> properties, const store::IdSource& ids,
                    const store::RecordFn& fn) override
  {
    if (!m_data.reads_ahead)
      return store::Reader::read_records(type, properties, ids, fn);
    std::vector<std::string_view> values(properties.size());
    store::RecordId id = 0;
    bool has_id = ids(id);
    while (has_id) {
      std::vector<store::RecordId> batch;
      for (; has_id && batch.size() < 100; has_id = ids(id))
        batch.push_back(id);
      for (const auto wanted : batch) {
        auto& records = m_data.records[type.name];
        const auto found = records.find(wanted);
        if (found == records.end())
          continue;
        for (std::size_t index = 0; index < properties.size(); ++index)
          values[index] = found->second[properties[index]];
        fn(wanted, values);
      }
    }
  }

  std::vector<store::UpdateOutcome> update_records(const store::ObjectType& type,
                                                   std::span<const store::RecordUpdate> batch) override
  {
    std::vector<store::UpdateOutcome> outcomes;
    auto& records = m_data.records[type.name];
    for (const auto& update : batch) {
      const auto found = records.find(update.id);
      if (found == records.end()) {
        outcomes.push_back({update.id, store::UpdateStatus::not_found, "no such record"});
        continue;
      }
      for (std::size_t index = 0; index < update.properties.size(); ++index)
        found->second[update.properties[index]] = update.values[index];
      outcomes.push_back({update.id, store::UpdateStatus::applied, {}});
    }
    return outcomes;
  }
  void commit() override {}

protected:
  MemoryData m_data;
};

// The CRM's own screens, as the embedded store models them.
class MemoryActivity : public store::CrmActivity {
public:
  explicit MemoryActivity(MemoryData& data) : m_data(data) {}
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

private:
  MemoryData& m_data;
};

// An atomic store by default (a Writer works on its own copy that commit()
// publishes, so an uncommitted Writer leaves nothing behind, and a second
// Writer while one is open is Error(temp_fail), like BEGIN IMMEDIATE). With
// is_atomic false it is batch by batch, like an API: each update_records
// call lands at once, and `fail_after_batches` makes the call after that
// many batches throw (a backend gone away, a kill), with nothing of it applied.
class MemoryStore : public store::Store {
public:
  MemoryData data;
  bool is_atomic = true;
  bool knows_second_factor = true;
  std::optional<int> fail_after_batches;
  int batches_written = 0;
  std::set<store::RecordId> rejected;  // the backend refuses their values

  store::Guarantees guarantees() const override { return {is_atomic, is_atomic, knows_second_factor}; }
  std::unique_ptr<store::Reader> read() override { return std::make_unique<MemoryReader>(data); }
  std::unique_ptr<store::Writer> write() override
  {
    if (m_is_writing)
      throw Error(ErrorKind::temp_fail, "the store is busy");
    return std::make_unique<Writer>(*this);
  }
  std::string second_factor_secret(std::string_view user) override
  {
    const auto found = data.totp_secrets.find(std::string(user));
    return found == data.totp_secrets.end() ? std::string() : found->second;
  }

private:
  class Writer final : public MemoryReader {
  public:
    explicit Writer(MemoryStore& store) : MemoryReader(store.data), m_store(store), m_activity(m_data)
    {
      m_store.m_is_writing = true;
    }
    ~Writer() override { m_store.m_is_writing = false; }
    std::vector<store::UpdateOutcome> update_records(const store::ObjectType& type,
                                                     std::span<const store::RecordUpdate> batch) override
    {
      if (m_store.fail_after_batches && m_store.batches_written >= *m_store.fail_after_batches)
        throw Error(ErrorKind::unavailable, "the CRM went away");
      std::vector<store::RecordUpdate> accepted;
      for (const auto& update : batch)
        if (!m_store.rejected.contains(update.id))
          accepted.push_back(update);
      const auto applied = MemoryReader::update_records(type, accepted);
      std::vector<store::UpdateOutcome> outcomes;
      std::size_t next_applied = 0;
      for (const auto& update : batch)
        if (m_store.rejected.contains(update.id))
          outcomes.push_back({update.id, store::UpdateStatus::rejected, "INVALID_OPTION: not a valid stage"});
        else
          outcomes.push_back(applied.at(next_applied++));
      ++m_store.batches_written;
      if (!m_store.is_atomic)
        m_store.data.records = m_data.records;  // each batch lands at once
      return outcomes;
    }
    void commit() override { m_store.data = m_data; }
    store::CrmActivity* activity() override { return m_store.is_atomic ? &m_activity : nullptr; }

  private:
    MemoryStore& m_store;
    MemoryActivity m_activity;
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
