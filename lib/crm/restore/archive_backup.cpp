#include "crm/restore/archive_backup.hpp"

#include <crm/base/error.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/restore/plan_writer.hpp>

#include <fmt/format.h>

namespace crm::restore {

ArchiveBackup::ArchiveBackup(const std::filesystem::path& archive, std::optional<SecretString> passphrase,
                             std::string backup_id, std::string_view object_name,
                             std::shared_ptr<const void> keep_alive)
    : m_keep_alive(std::move(keep_alive)),
      m_reader(archive, std::move(passphrase), snapshot::Verification::alongside,
               [object_name](const snapshot::ObjectEntry& object) { return object.name == object_name; })
{
  m_description.kind = "backup";
  m_description.backup_id = std::move(backup_id);
  m_description.file = std::filesystem::absolute(archive).lexically_normal().string();
  m_description.sha256 = crypto::file_sha256(archive);
  m_description.snapshot_time = m_reader.manifest().snapshot_time;
  m_description.are_checksums_verified = true;
  // The planner refuses a backup of another store by comparing store ids; an
  // empty one would compare with nothing, so it is refused here.
  if (m_reader.manifest().store_id.empty())
    throw Error(ErrorKind::data, fmt::format("backup {} names no store in its manifest.json", m_description.file),
                "restore from a backup made by crm-backup from this account's store");
}

const snapshot::ObjectEntry* ArchiveBackup::find(std::string_view object_name) const
{
  return m_reader.manifest().find(object_name);
}

void ArchiveBackup::scan(const snapshot::ObjectEntry& object, const snapshot::BackupRecordFn& fn)
{
  // An object with no records has no file in the archive: nothing to scan.
  if (object.record_count == 0)
    return;
  m_reader.scan(object, fn);
}

}  // namespace crm::restore
