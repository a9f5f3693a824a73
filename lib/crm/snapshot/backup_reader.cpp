#include "crm/snapshot/backup_reader.hpp"

#include <crm/snapshot/entry_cursor.hpp>
#include <crm/snapshot/verify.hpp>

namespace crm::snapshot {

BackupReader::BackupReader(std::filesystem::path archive, std::optional<SecretString> passphrase)
    : m_archive(std::move(archive)), m_passphrase(std::move(passphrase))
{
  m_manifest = verify(m_archive, m_passphrase).manifest;
}

void BackupReader::scan(const ObjectEntry& object, const BackupRecordFn& fn) const
{
  EntryCursor cursor(m_archive, m_passphrase, object);
  while (cursor.next())
    fn(cursor.id(), cursor.values());
}

}  // namespace crm::snapshot
