#pragma once
// What changed between two backups, or between a backup and the live store
// (SPEC §2 diff): per object type, the records added, removed and changed,
// and for changed records which properties. Both sides are streamed in
// hs_object_id order and merged; no table is ever loaded.
//
// Only properties present on both sides are compared; properties on one side
// only (added since, or left out by --exclude-sensitive) are listed instead.
// An object type present on one side only counts all its records as added or
// removed.

#include <crm/snapshot/backup_reader.hpp>
#include <crm/store/store.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace crm::snapshot {

struct DiffOptions {
  // How many record ids of each kind (added, removed, changed) to list per
  // object; the counts are always complete.
  std::size_t max_listed_records = 100;
  // Whether the listed changed records carry their old and new values
  // (diff --show-values); only listed records do, so memory stays bounded.
  bool is_values = false;
};

struct ChangedRecord {
  store::RecordId id = 0;
  std::vector<std::string> properties;  // the properties whose values differ
  // With DiffOptions::is_values: the old and new value of each of `properties`.
  std::vector<std::pair<std::string, std::string>> values;
};

struct PropertyChanges {
  std::string property;
  std::int64_t records = 0;  // records whose value of `property` differs
};

struct ObjectDiff {
  std::string name;
  std::string object_type_id;
  bool is_only_in_old = false;
  bool is_only_in_new = false;
  std::int64_t added = 0;
  std::int64_t removed = 0;
  std::int64_t changed = 0;
  std::int64_t unchanged = 0;
  std::vector<PropertyChanges> changes_by_property;  // properties with changes, in property order
  std::vector<std::string> properties_only_in_old;
  std::vector<std::string> properties_only_in_new;
  std::vector<store::RecordId> added_ids;      // at most max_listed_records
  std::vector<store::RecordId> removed_ids;    // at most max_listed_records
  std::vector<ChangedRecord> changed_records;  // at most max_listed_records

  bool has_differences() const { return added || removed || changed || is_only_in_old || is_only_in_new; }
};

struct DiffReport {
  std::string old_label;  // "backup <id>" or the archive file
  std::string new_label;  // the same, or "live store"
  std::vector<ObjectDiff> objects;

  bool has_differences() const;
};

// `old_backup` -> `new_backup`.
DiffReport diff_backups(const BackupReader& old_backup, const BackupReader& new_backup,
                        const DiffOptions& options = {});
// `backup` -> the live store as `live` sees it (one read transaction).
DiffReport diff_live(const BackupReader& backup, store::Reader& live, const DiffOptions& options = {});

}  // namespace crm::snapshot
