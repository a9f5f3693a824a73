#include "crm/cli/options.hpp"

#include <crm/base/error.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/cli/build_info.hpp>

#include <fmt/format.h>

namespace crm::cli {

void add_common_options(CLI::App& app, CommonOptions& options)
{
  app.add_option("--store", options.store, "CRM store: an embedded store's file, or hubspot:")->envname("CRM_STORE");
  app.add_option("--repo", options.repo, "backup repository directory")->envname("CRM_BACKUP_REPO");
  app.add_option("--as", options.user, "acting user")->envname("CRM_USER");
  app.add_flag("--json", options.is_json, "print results as JSON on stdout");
}

void add_version_flag(CLI::App& app, std::string_view program)
{
  app.set_version_flag("--version", fmt::format("{} {}", program, build_version()));
}

std::string require_store(const CommonOptions& options)
{
  if (options.store.empty())
    throw Error(ErrorKind::usage, "no store given", "pass --store PATH (or hubspot:) or set CRM_STORE");
  return options.store;
}

std::filesystem::path require_repo(const CommonOptions& options)
{
  if (options.repo.empty())
    throw Error(ErrorKind::usage, "no backup repository given", "pass --repo DIR or set CRM_BACKUP_REPO");
  return options.repo;
}

const std::string& require_user(const CommonOptions& options)
{
  if (options.user.empty())
    throw Error(ErrorKind::usage, "no acting user given", "pass --as NAME or set CRM_USER");
  return options.user;
}

std::unique_ptr<store::Store> open_store(const CommonOptions& options, store::Access access)
{
  const std::string locator = require_store(options);
  store::StoreSettings settings;
  std::error_code error;
  if (!options.repo.empty() &&
      std::filesystem::exists(std::filesystem::path(options.repo) / catalog::Repository::k_catalog_name, error))
    settings = catalog::Repository::open(options.repo, catalog::OpenIntent::read).settings().all();
  return store::open_store(locator, access, settings);
}

}  // namespace crm::cli
