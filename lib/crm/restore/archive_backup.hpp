#pragma once
// A backup made by crm-backup as a plan's source. The whole archive is
// verified first (snapshot::BackupReader): a backup that fails verification
// is Error(data) and nothing is planned.

#include <crm/restore/backup_source.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace crm::restore {

class ArchiveBackup final : public BackupSource {
public:
  // `backup_id` is the catalog id, or empty for an archive given by path.
  ArchiveBackup(const std::filesystem::path& archive, std::optional<std::string> passphrase, std::string backup_id);

  const PlanSource& description() const override { return m_description; }
  std::string store_id() const override { return m_reader.manifest().store_id; }
  const snapshot::ObjectEntry* find(std::string_view object_name) const override;
  void scan(const snapshot::ObjectEntry& object, const snapshot::BackupRecordFn& fn) override;

private:
  snapshot::BackupReader m_reader;
  PlanSource m_description;
};

}  // namespace crm::restore
