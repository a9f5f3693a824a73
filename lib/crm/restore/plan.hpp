#pragma once
// What a restore plan holds (docs/restore-plan-format.md). The plan file is
// the contract between `crm-restore plan` and `crm-restore apply`: apply runs
// exactly what the file says, after checking its hash and that the store
// still holds the values the plan was made against.

#include <crm/base/clock.hpp>
#include <crm/store/model.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crm::restore {

// 2: times as RFC 3339 text and null for what is missing; version 1 plans
// (Unix seconds, "" and 0) read the same.
constexpr int k_plan_format_version = 2;

// Why a chosen property is left out of the plan.
struct RefusedProperty {
  std::string name;
  std::string reason;  // "read-only or calculated", "no longer defined in the store", ...
};

// A workflow that may re-enroll the records the plan changes.
struct WorkflowWarning {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> trigger_properties;  // the plan's properties it triggers on
  std::int64_t records = 0;                     // records whose change touches one of them
};

// Where the plan's "after" values come from.
struct PlanSource {
  std::string kind;       // "backup", "hosted-export" or "undo"
  std::string backup_id;  // catalog id; empty for a file given by path
  std::string file;       // the archive (or undo file) the values were read from
  std::string sha256;     // of that file
  UnixTime snapshot_time = 0;
  bool are_checksums_verified = true;  // false for a hosted CRM export (no manifest)
  std::int64_t undo_of_import = 0;     // set for an undo plan
};

// Everything but the records: the first line of the plan file.
struct PlanHeader {
  int format_version = k_plan_format_version;
  std::string store_id;
  std::string account_id;
  UnixTime created_at = 0;
  std::string created_by;
  PlanSource source;
  std::string object_name;              // "deals"
  std::string object_type_id;           // "0-3"
  std::string object_singular;          // "Deal"
  std::vector<std::string> properties;  // chosen and restorable, in the order values are listed
  std::vector<RefusedProperty> refused;
};

// One record the plan changes: only the properties whose value differs, with
// the value the store held when the plan was made and the value to write.
struct PlanChange {
  store::RecordId id = 0;
  std::vector<std::string> properties;
  std::vector<std::string> before;
  std::vector<std::string> after;
};

// A record of the backup that is no longer live.
struct DeletedRecord {
  store::RecordId id = 0;
  bool is_in_recycle_bin = false;
};

// How many deleted record ids a plan's summary lists.
constexpr std::size_t k_deleted_sample_size = 20;

// How many values of one restored property a plan sets and clears.
struct PropertyCounts {
  std::string property;
  std::int64_t values_to_set = 0;
  std::int64_t values_to_clear = 0;
};

// The counts and warnings, the last line of the plan file (known only once
// every record has been compared).
struct PlanSummary {
  std::int64_t records_to_change = 0;
  std::int64_t values_to_set = 0;
  std::int64_t values_to_clear = 0;
  std::int64_t records_unchanged = 0;
  std::int64_t records_deleted = 0;  // deleted since the backup: not restored
  std::int64_t records_in_recycle_bin = 0;
  std::int64_t records_created = 0;  // created since the backup: untouched
  std::vector<WorkflowWarning> workflows;
  // Why the workflows could not be read (the token lacks the scope): then no
  // warning above means nothing. Empty when they were checked.
  std::string workflows_unchecked;
  // Per restored property, in the header's order: counted from the changes
  // by the writer and again by the reader, not stored in the plan file.
  std::vector<PropertyCounts> by_property;

  // Starts the per-property counts at zero for `properties`.
  void count_properties(const std::vector<std::string>& properties);
  // Counts one value to write: set, or cleared when `after` is empty.
  void count_value(std::string_view property, std::string_view after);
};

// "Data Restore - Deal": the name of the import a restore is recorded as.
std::string import_name(const std::string& object_singular);

}  // namespace crm::restore
