#include <crm/base/error.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/restore/archive_backup.hpp>
#include <crm/restore/hosted_export.hpp>
#include <crm/restore/open_backup.hpp>

#include <fmt/format.h>

namespace crm::restore {

namespace {

struct Located {
  std::filesystem::path archive;
  std::string backup_id;  // empty for a file given by path
};

Located locate(const std::string& backup, const std::filesystem::path& repo)
{
  if (std::filesystem::is_regular_file(backup))
    return {backup, {}};
  if (repo.empty())
    throw Error(ErrorKind::not_found, fmt::format("no backup file {}", backup),
                "give a backup file, or a backup id with --repo DIR or CRM_BACKUP_REPO");
  auto repository = catalog::Repository::open(repo, catalog::OpenIntent::read);
  const catalog::BackupRecord record = repository.find(backup);
  const std::filesystem::path archive = repository.archive_path(record);
  if (!std::filesystem::is_regular_file(archive))
    throw Error(ErrorKind::not_found, fmt::format("the archive of backup {} is missing: {}", backup, archive.string()),
                "crm-backup list shows the backups");
  return {archive, record.id};
}

}  // namespace

std::unique_ptr<BackupSource> open_backup(const std::string& backup, const std::filesystem::path& repo,
                                          const std::optional<std::string>& passphrase, store::Reader& live,
                                          std::string_view object_name)
{
  const Located located = locate(backup, repo);
  if (has_manifest(located.archive, passphrase))
    return std::make_unique<ArchiveBackup>(located.archive, passphrase, located.backup_id);
  return std::make_unique<HostedExport>(located.archive, passphrase, live, object_name);
}

}  // namespace crm::restore
