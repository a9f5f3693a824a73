#pragma once
// The one interface through which the library reads and writes a CRM. The
// embedded SQLite store (store/sqlite/) serves it today; an API connector can
// serve it later without touching snapshot or restore code.

#include <crm/store/model.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <span>

namespace crm::store {

// Called once per record. `values` holds the asked-for properties' values in
// the order asked; the views are valid only during the call.
using RecordFn = std::function<void(RecordId id, std::span<const std::string_view> values)>;

// A consistent view: everything read through one Reader shows the same
// instant, however long the reads take and whatever others write meanwhile.
class Reader {
public:
  virtual ~Reader() = default;

  virtual Account account() = 0;
  // Every object type, standard ones first in objectTypeId order, then custom.
  virtual std::vector<ObjectType> object_types() = 0;
  // By name ("deals") or objectTypeId ("0-3").
  virtual std::optional<ObjectType> find_object_type(std::string_view name_or_id) = 0;
  virtual std::int64_t count_records(const ObjectType& type) = 0;
  // Every live record of `type`, ordered by hs_object_id ascending. Throws
  // Error(data) when a property is not defined on the type.
  virtual void scan_records(const ObjectType& type, std::span<const std::string> properties, const RecordFn& fn) = 0;
  // Ids of `type`'s records in the recycle bin, ascending.
  virtual void scan_deleted(const ObjectType& type, const std::function<void(RecordId)>& fn) = 0;
  virtual std::vector<Workflow> workflows() = 0;
  virtual std::optional<User> find_user(std::string_view name) = 0;
  // Newest first.
  virtual std::vector<Import> imports() = 0;
  virtual std::vector<Notification> notifications() = 0;
  virtual std::vector<AuditEntry> audit_log() = 0;
};

// One write transaction (taken at once, so a second writer waits or fails
// rather than interleaving). Nothing is visible to others before commit();
// destroying an uncommitted Writer rolls everything back.
class Writer : public Reader {
public:
  // Sets `properties` of one record to `values` (parallel spans); "" clears.
  // Throws Error(not_found) when the record does not exist.
  virtual void update_record(const ObjectType& type, RecordId id, std::span<const std::string> properties,
                             std::span<const std::string> values) = 0;
  virtual std::int64_t add_import(const Import& import) = 0;
  virtual void add_audit(const AuditEntry& entry) = 0;
  virtual void add_notification(const Notification& notification) = 0;
  virtual void enroll(std::int64_t workflow_id, RecordId record, UnixTime at) = 0;
  // The TOTP replay guard: records `step` as used by `user` and returns true
  // when it is newer than every step the user used before; false otherwise.
  virtual bool use_totp_step(std::string_view user, std::int64_t step) = 0;
  virtual void commit() = 0;
};

class Store {
public:
  virtual ~Store() = default;
  virtual std::unique_ptr<Reader> read() = 0;
  // Throws Error(temp_fail) when another writer holds the store too long.
  virtual std::unique_ptr<Writer> write() = 0;
};

// Opens the embedded store at `path`. A missing file is Error(not_found), a
// file that is not a store Error(data), a newer schema Error(config). Nothing
// is created. `is_writable` false opens it read-only.
std::unique_ptr<Store> open_store(const std::filesystem::path& path, bool is_writable);

}  // namespace crm::store
