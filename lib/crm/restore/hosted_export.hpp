#pragma once
// A zip written by the hosted CRM's own backup screen as a plan's source: CSV
// files and no manifest.json, so no checksum can be checked (the plan says
// so). Every CSV is read through once and must be well formed (RFC 4180,
// LF or CRLF line ends); each file is matched to an object type by its name
// ("deals.csv", "hubspot-crm-exports-all-deals-2024-05-01.csv": the object's
// name or singular, longest match wins), and its header cells to properties
// by internal name or by label; the id column is `hs_object_id` or
// `Record ID`. A header cell that matches no property keeps its text as the
// name, so a plan can say it is no longer defined.
//
// Exports are not ordered by id. The chosen object's rows are therefore
// copied into a private temporary SQLite database (its file in $TMPDIR is
// unlinked as soon as it is made, so not even kill -9 leaves CRM data
// behind), which hands them back in id order with memory bounded by one row.
// What is copied is capped (max_spill_bytes, counting the id and the values
// of each row), so an export cannot fill the disk holding $TMPDIR.

#include <crm/base/secret_memory.hpp>
#include <crm/restore/backup_source.hpp>
#include <crm/store/store.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace crm::sql {
class Database;
}

namespace crm::restore {

struct HostedExportLimits {
  std::uint64_t max_spill_bytes = std::uint64_t{8} << 30;
};

class HostedExport final : public BackupSource {
public:
  // `live` supplies the object types and property labels to map headers to;
  // only `object_name`'s rows are kept. Error(data) for a CSV that is not
  // well formed, has no id column, repeats an id, or cannot be matched to an
  // object, or whose chosen object's rows pass max_spill_bytes;
  // Error(not_found) when the export has no file for the object.
  HostedExport(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase, store::Reader& live,
               std::string_view object_name, HostedExportLimits limits = {});
  ~HostedExport() override;

  const PlanSource& description() const override { return m_description; }
  std::string store_id() const override { return {}; }
  const snapshot::ObjectEntry* find(std::string_view object_name) const override;
  void scan(const snapshot::ObjectEntry& object, const snapshot::BackupRecordFn& fn) override;

private:
  PlanSource m_description;
  std::optional<snapshot::ObjectEntry> m_entry;
  std::unique_ptr<sql::Database> m_spill;
};

// True when the zip at `archive` holds a manifest.json: a crm-backup archive
// rather than a hosted CRM export. Error(data) when it is not a readable zip.
bool has_manifest(const std::filesystem::path& archive, const std::optional<SecretString>& passphrase);

}  // namespace crm::restore
