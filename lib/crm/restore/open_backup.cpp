#include "crm/restore/open_backup.hpp"

#include <crm/base/error.hpp>
#include <crm/catalog/backup_record.hpp>
#include <crm/catalog/download_window.hpp>
#include <crm/offsite/id_or_file.hpp>
#include <crm/restore/archive_backup.hpp>
#include <crm/restore/hosted_export.hpp>

#include <fmt/format.h>

namespace crm::restore {

namespace {

struct Located {
  std::filesystem::path archive;
  std::string backup_id;                               // empty for a file given by path
  std::shared_ptr<offsite::ScratchDirectory> scratch;  // holds an archive fetched from a remote
};

Located locate(const std::string& backup, const std::filesystem::path& repo, UnixTime now)
{
  offsite::ResolvedArchive resolved = offsite::resolve_id_or_file(backup, repo);
  // The repository's own archives are restored inside their download window
  // only; off-site copies follow their own retention, not the window.
  const bool is_repository_archive = !resolved.record.id.empty() && resolved.remote_name.empty();
  if (is_repository_archive && catalog::is_expired(resolved.record, now))
    throw Error(ErrorKind::not_found,
                fmt::format("backup {} expired on {}; the download window is 14 days", resolved.record.id,
                            format_human(catalog::expires_at(resolved.record))),
                "restore from a newer backup");
  return {resolved.path, resolved.record.id, resolved.scratch};
}

}  // namespace

std::unique_ptr<BackupSource> open_backup(const std::string& backup, const std::filesystem::path& repo,
                                          const std::optional<SecretString>& passphrase, store::Reader& live,
                                          std::string_view object_name, const Clock& clock)
{
  const Located located = locate(backup, repo, clock.now());
  if (has_manifest(located.archive, passphrase))
    return std::make_unique<ArchiveBackup>(located.archive, duplicate(passphrase), located.backup_id, object_name,
                                           located.scratch);
  // Only a file the user names may be a hosted export: an archive in the
  // repository was written by crm-backup, so one without a manifest was
  // damaged or swapped, never silently read as an export.
  if (!located.backup_id.empty())
    throw Error(
        ErrorKind::data,
        fmt::format("the archive of backup {} holds no manifest.json: it was damaged or changed", located.backup_id),
        "restore from another backup; a hosted CRM export is given as a file path");
  return std::make_unique<HostedExport>(located.archive, passphrase, live, object_name);
}

}  // namespace crm::restore
