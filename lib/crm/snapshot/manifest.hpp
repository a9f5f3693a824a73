#pragma once
// manifest.json: what a backup archive holds (docs/backup-format.md). The
// snapshot module owns the archive format; everything else reads archives
// through BackupReader.

#include <crm/base/clock.hpp>
#include <crm/store/store.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::snapshot {

constexpr int k_format_version = 1;
constexpr std::string_view k_manifest_name = "manifest.json";

struct ObjectEntry {
  std::string name;            // "contacts"
  std::string object_type_id;  // "0-1"
  std::string singular;        // "Contact"
  std::string file_name;       // "contacts.csv"; empty when record_count is 0 (no file)
  std::int64_t record_count = 0;
  std::string sha256;  // of the CSV entry's bytes; empty when there is no file
  // The CSV's columns after hs_object_id, in order, with their definitions at
  // snapshot time.
  std::vector<store::Property> properties;
  // Properties left out by --exclude-sensitive.
  std::vector<std::string> excluded_properties;
  // Records modified while the backup ran, on a store without a consistent
  // snapshot: their rows may show values from before or after the change.
  std::int64_t modified_during_backup = 0;
};

struct Manifest {
  int format_version = k_format_version;
  std::string tool_version;
  std::string account_id;
  std::string store_id;
  UnixTime snapshot_time = 0;
  bool is_sensitive_excluded = false;
  // The store read one consistent instant (store::Guarantees); an API backend
  // does not. Archives made before the field existed were consistent.
  bool is_consistent_snapshot = true;
  std::vector<ObjectEntry> objects;  // every object type, empty ones included
  // What the store would not let the backup read (store::Gap): object types
  // and properties, each with the store's reason. Never a silent hole.
  std::vector<store::Gap> skipped;

  // By name or objectTypeId; nullptr when absent.
  const ObjectEntry* find(std::string_view name_or_id) const;
};

// The header row of `object`'s CSV: hs_object_id, then its properties.
std::vector<std::string> csv_header(const ObjectEntry& object);

std::string to_json(const Manifest& manifest);
// Throws Error(data) naming the first problem; a newer format_version is
// Error(data) with the hint to upgrade.
Manifest parse_manifest(std::string_view json);

}  // namespace crm::snapshot
