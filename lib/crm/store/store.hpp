#pragma once
// The store port: the one interface through which the library reads and
// writes a CRM (SPEC §4). It holds only what a real CRM API can give, so that
// a remote backend is a new folder under store/ and nothing above changes:
// account, object types with their properties, records by ascending id,
// recycle-bin ids, workflows and users to read; batched property updates with
// a per-record outcome to write. A backend states what it guarantees instead
// of pretending (Guarantees). What the tool must remember itself (restore
// runs, imports, audit, notifications, locks, 2FA state) is the journal in
// the backup repository (catalog/journal.hpp), above this port.
//
// A new backend implements Store (3 calls), Reader (6) and Writer (2); the
// embedded store adds the optional capabilities at the bottom.

#include <crm/store/model.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace crm::store {

// What a backend promises. The library relies on these and reports them.
struct Guarantees {
  bool is_consistent_snapshot = false;  // everything one Reader reads shows one instant
  bool is_atomic_apply = false;         // a Writer's batches become visible together at commit(), or never
  bool knows_second_factor = false;     // second_factor_secret() can tell users' TOTP secrets
};

// Called once per record. `values` holds the asked-for properties' values in
// the order asked; the views are valid only during the call.
using RecordFn = std::function<void(RecordId id, std::span<const std::string_view> values)>;
// Yields record ids in ascending order into its argument; false at the end.
using IdSource = std::function<bool(RecordId& id)>;

// Something a reader could not see: a whole object type (property empty) or
// one property, with the backend's reason. A backup lists each one, so a gap
// is never silent.
struct Gap {
  std::string object;  // the object type's name
  std::string object_type_id;
  std::string property;  // empty: the whole object type; or "sensitive properties"
  std::string reason;
  bool is_sensitive = false;  // only sensitive values are missing: by design under --exclude-sensitive
};

// One object type a caller is about to scan, with the properties it will ask.
struct PlannedScan {
  ObjectType type;
  std::vector<std::string> properties;
};

class Reader {
public:
  virtual ~Reader() = default;

  virtual Account account() = 0;
  // Every object type, standard ones first in objectTypeId order, then custom.
  virtual std::vector<ObjectType> object_types() = 0;
  // Every live record of `type`, ordered by hs_object_id ascending, streamed.
  // Error(data) when a property is not defined on the type.
  virtual void scan_records(const ObjectType& type, std::span<const std::string> properties, const RecordFn& fn) = 0;
  // Ids of `type`'s records in the recycle bin, ascending.
  virtual void scan_deleted(const ObjectType& type, const std::function<void(RecordId)>& fn) = 0;
  virtual std::vector<Workflow> workflows() = 0;
  virtual std::vector<User> users() = 0;

  // How many live records `type` has (a progress total). The default scans
  // ids; a backend that can count cheaply overrides it.
  virtual std::int64_t count_records(const ObjectType& type);
  // The records `ids` names that exist, in id order, like scan_records. The
  // default merges one scan with the ids; a backend that reads by id (batch
  // read) overrides it.
  virtual void read_records(const ObjectType& type, std::span<const std::string> properties, const IdSource& ids,
                            const RecordFn& fn);
  // What object_types() and scan_records() leave out: types the credentials
  // may not read or the account does not have, properties without the scope
  // to read them. Empty on a backend that sees everything.
  virtual std::vector<Gap> gaps() { return {}; }
  // How many live records of `type` were modified after `since`: on a backend
  // without a consistent snapshot, the records a backup that began at `since`
  // may show half-changed. 0 on a consistent one. A backup asks right after
  // scanning `type`, while it scans the next type on another thread: a
  // backend that overrides it must allow that.
  virtual std::int64_t count_modified_since(const ObjectType& type, UnixTime since);
  // The scans the caller is about to make, in this order (a backup's object
  // types), each followed by count_modified_since(type, `since`) when
  // `since` is given: a backend whose reads wait on the network may fetch
  // the later ones, and count their changes, while the first is read.
  // Nothing by default.
  virtual void will_scan(std::span<const PlannedScan>, std::optional<UnixTime> /*since*/) {}
  // API requests sent so far, for the progress bar; -1 for a store that is
  // no API.
  virtual std::int64_t requests_sent() const { return -1; }

  // By name ("deals") or objectTypeId ("0-3").
  std::optional<ObjectType> find_object_type(std::string_view name_or_id);
  std::optional<User> find_user(std::string_view name);
};

// One property update of one record: `values[i]` for `properties[i]`; ""
// clears the property.
struct RecordUpdate {
  RecordId id = 0;
  std::vector<std::string> properties;
  std::vector<std::string> values;
};

enum class UpdateStatus { applied, not_found, rejected };

struct UpdateOutcome {
  RecordId id = 0;
  UpdateStatus status = UpdateStatus::applied;
  std::string reason;  // the backend's words for not_found and rejected
};

// At most this many records go to update_records at once (HubSpot's batch size).
constexpr std::size_t k_max_update_batch = 100;

// The CRM's own screens for what the tool did (imports, audit log,
// notifications, workflow enrollments), where a backend models them. Written
// through the Writer, so on an atomic backend they commit with the data.
class CrmActivity {
public:
  virtual ~CrmActivity() = default;
  virtual std::int64_t add_import(const Import& import) = 0;
  virtual void add_audit(const AuditEntry& entry) = 0;
  virtual void add_notification(const Notification& notification) = 0;
  virtual void enroll(std::int64_t workflow_id, RecordId record, UnixTime at) = 0;
};

// Writes batches of property updates. Reads through a Writer see its own
// writes. On an atomic backend nothing is visible to others before commit()
// and destroying an uncommitted Writer rolls everything back; on a
// batch-by-batch backend each update_records call is committed when it
// returns and commit() has nothing left to do.
class Writer : public Reader {
public:
  // One outcome per update, in order. Throws only when the whole batch failed
  // (the backend is unreachable, the store is busy): then none of it applied.
  virtual std::vector<UpdateOutcome> update_records(const ObjectType& type, std::span<const RecordUpdate> batch) = 0;
  virtual void commit() = 0;

  // Optional: nullptr when the CRM has no such screens we can write.
  virtual CrmActivity* activity() { return nullptr; }
};

class Store {
public:
  virtual ~Store() = default;
  virtual Guarantees guarantees() const = 0;
  virtual std::unique_ptr<Reader> read() = 0;
  // Error(temp_fail) when the store is busy; Error(no_permission) when it was
  // opened read-only.
  virtual std::unique_ptr<Writer> write() = 0;

  // Optional capabilities of a backend that models more than an API shows.
  // The user's TOTP secret (base32), "" when they have none; only asked when
  // guarantees().knows_second_factor.
  virtual std::string second_factor_secret(std::string_view user);
  // Shows `notification` on the CRM's notification screen in a short write
  // of its own, so that a backup opened read-only still notifies there.
  // False when the backend has no such screen.
  virtual bool notify_in_crm(const Notification& notification);
};

enum class Access { read_only, read_write };

// What a backend needs to know that its API cannot tell (a HubSpot account's
// plan tier, who signs in with SSO): the repository's settings, by key
// ("hubspot.tier"). Missing keys take the backend's documented defaults.
using StoreSettings = std::map<std::string, std::string, std::less<>>;

// Opens the store a locator names (--store / CRM_STORE): a path is the
// embedded store (a missing file Error(not_found), a file that is not a store
// Error(data), a newer schema Error(config); nothing is created); a locator
// "hubspot:" is HubSpot's API (store/hubspot/, docs/hubspot.md); another
// scheme is Error(config).
std::unique_ptr<Store> open_store(std::string_view locator, Access access, const StoreSettings& settings = {});

}  // namespace crm::store
