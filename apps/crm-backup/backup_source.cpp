#include "commands.hpp"

#include <crm/base/error.hpp>

namespace crm::backup_app {

crm::offsite::ResolvedArchive archive_for(const crm::cli::CommonOptions& common, const std::string& id_or_file)
{
  std::error_code error;
  if (std::filesystem::is_regular_file(id_or_file, error))
    return {id_or_file, {}, {}, nullptr};
  if (id_or_file.find('/') != std::string::npos || id_or_file.ends_with(".zip"))
    throw crm::Error(crm::ErrorKind::not_found, "no such archive: " + id_or_file, "check the path");
  auto repository = crm::catalog::Repository::open(crm::cli::require_repo(common), crm::catalog::OpenIntent::read);
  return crm::offsite::resolve(repository, id_or_file);
}

std::optional<crm::SecretString> optional_passphrase(const crm::cli::SecretSource& source)
{
  return crm::cli::read_secret(source);
}

}  // namespace crm::backup_app
