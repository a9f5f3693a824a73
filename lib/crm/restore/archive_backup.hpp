#pragma once
// A backup made by crm-backup as a plan's source. The archive is verified
// (snapshot::BackupReader) on a second thread while the plan is computed, and
// the planner waits for it before the plan file is published: a backup that
// fails verification is Error(data) and nothing is planned. The restored
// object's entry is checked by the plan's own read of it (EntryCursor: each
// row, then the entry's hash and count), so it is inflated once, not twice.

#include <crm/base/secret_memory.hpp>
#include <crm/restore/backup_source.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace crm::restore {

class ArchiveBackup final : public BackupSource {
public:
  // `backup_id` is the catalog id, or empty for an archive given by path;
  // `object_name` the object the plan restores (the entry it reads in full).
  // `keep_alive` is held as long as this object (what keeps a fetched archive's file).
  ArchiveBackup(const std::filesystem::path& archive, std::optional<SecretString> passphrase, std::string backup_id,
                std::string_view object_name, std::shared_ptr<const void> keep_alive = nullptr);

  const PlanSource& description() const override { return m_description; }
  std::string store_id() const override { return m_reader.manifest().store_id; }
  const snapshot::ObjectEntry* find(std::string_view object_name) const override;
  void scan(const snapshot::ObjectEntry& object, const snapshot::BackupRecordFn& fn) override;
  void require_verified() override { m_reader.require_verified(); }

private:
  std::shared_ptr<const void> m_keep_alive;
  snapshot::BackupReader m_reader;
  PlanSource m_description;
};

}  // namespace crm::restore
