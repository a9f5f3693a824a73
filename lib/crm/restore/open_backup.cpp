#include <crm/base/error.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/offsite/fetch.hpp>
#include <crm/restore/archive_backup.hpp>
#include <crm/restore/hosted_export.hpp>
#include <crm/restore/open_backup.hpp>
#include <crm/snapshot/recorded_archive.hpp>

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
  if (std::filesystem::is_regular_file(backup))
    return {backup, {}, nullptr};
  if (repo.empty())
    throw Error(ErrorKind::not_found, fmt::format("no backup file {}", backup),
                "give a backup file, or a backup id with --repo DIR or CRM_BACKUP_REPO");
  auto repository = catalog::Repository::open(repo, catalog::OpenIntent::read);
  // A backup whose archive the repository no longer holds (pruned, or known
  // from a remote's sidecar) comes from a remote, checked against its
  // SHA-256; off-site copies follow their own retention, not the window.
  if (!repository.remote_copies().copies_of(backup).empty() && !offsite::is_local_backup(repository, backup)) {
    offsite::ResolvedArchive fetched = offsite::fetch(repository, backup);
    return {fetched.path, fetched.record.id, fetched.scratch};
  }
  const catalog::BackupRecord record = repository.find(backup);
  if (catalog::is_expired(record, now))
    throw Error(ErrorKind::not_found,
                fmt::format("backup {} expired on {}; the download window is 14 days", record.id,
                            format_human(catalog::expires_at(record))),
                "restore from a newer backup");
  return {snapshot::checked_archive(repository, record), record.id, nullptr};
}

}  // namespace

std::unique_ptr<BackupSource> open_backup(const std::string& backup, const std::filesystem::path& repo,
                                          const std::optional<SecretString>& passphrase, store::Reader& live,
                                          std::string_view object_name, const Clock& clock)
{
  const Located located = locate(backup, repo, clock.now());
  if (has_manifest(located.archive, passphrase))
    return std::make_unique<ArchiveBackup>(located.archive, duplicate(passphrase), located.backup_id, located.scratch);
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
