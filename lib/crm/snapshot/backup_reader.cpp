#include "crm/snapshot/backup_reader.hpp"

#include <crm/base/error.hpp>
#include <crm/snapshot/archive_manifest.hpp>
#include <crm/snapshot/entry_cursor.hpp>
#include <crm/snapshot/verify.hpp>

#include <fmt/format.h>

namespace crm::snapshot {

namespace {

// Thrown by the verifying thread's progress callback to stop it early; never
// leaves this file.
struct Cancelled {};

}  // namespace

BackupReader::BackupReader(std::filesystem::path archive, std::optional<SecretString> passphrase,
                           Verification verification)
    : m_archive(std::move(archive)), m_passphrase(std::move(passphrase))
{
  if (verification == Verification::before) {
    m_manifest = verify(m_archive, m_passphrase).manifest;
    return;
  }
  m_manifest = read_manifest(m_archive, m_passphrase);
  m_verified = std::async(std::launch::async, [this] {
    return verify(m_archive, m_passphrase,
                  [this](const Progress&) {
                    if (m_is_cancelled)
                      throw Cancelled{};
                  })
        .manifest;
  });
}

BackupReader::~BackupReader()
{
  if (!m_verified.valid())
    return;
  m_is_cancelled = true;
  try {
    m_verified.get();
  } catch (...) {  // cancelled, or a failure nobody asked for any more
  }
}

void BackupReader::require_verified() const
{
  if (m_failure)
    std::rethrow_exception(m_failure);
  if (!m_verified.valid())
    return;
  try {
    const Manifest verified = m_verified.get();  // rethrows the verification's Error
    if (to_json(verified) != to_json(m_manifest))
      throw Error(ErrorKind::data,
                  fmt::format("backup archive {} changed while it was read: its manifest is not the one verified",
                              m_archive.string()),
                  "run the command again; if it fails again, verify the backup");
  } catch (...) {
    m_failure = std::current_exception();
    throw;
  }
}

void BackupReader::scan(const ObjectEntry& object, const BackupRecordFn& fn) const
{
  EntryCursor cursor(m_archive, m_passphrase, object);
  while (cursor.next())
    fn(cursor.id(), cursor.values());
}

}  // namespace crm::snapshot
