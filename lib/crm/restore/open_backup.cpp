#include <crm/base/error.hpp>
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
  // TODO(catalog): look the id up with crm::catalog::Repository once it lands.
  throw Error(ErrorKind::not_found, fmt::format("no backup {} in {}", backup, repo.string()),
              "crm-backup list shows the backups");
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
