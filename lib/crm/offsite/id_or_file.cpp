#include "crm/offsite/id_or_file.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/catalog/backup_id.hpp>
#include <crm/catalog/repository.hpp>

namespace crm::offsite {

ResolvedArchive resolve_id_or_file(const std::string& id_or_file, const std::filesystem::path& repo)
{
  std::error_code error;
  if (std::filesystem::is_regular_file(id_or_file, error))
    return {id_or_file, {}, {}, nullptr};
  if (id_or_file.find('/') != std::string::npos || id_or_file.ends_with(".zip"))
    throw Error(ErrorKind::not_found, "no such archive file: " + printable(id_or_file), "check the path");
  if (repo.empty())
    throw Error(ErrorKind::usage, "no backup repository given for backup id " + id_or_file,
                "pass --repo DIR or set CRM_BACKUP_REPO, or give an archive file");
  auto repository = catalog::Repository::open(repo, catalog::OpenIntent::read);
  return resolve(repository, id_or_file);
}

std::optional<std::string> backup_id_of(const ResolvedArchive& archive)
{
  if (!archive.record.id.empty())
    return archive.record.id;
  return catalog::id_from_archive_name(archive.path.filename().string());
}

}  // namespace crm::offsite
