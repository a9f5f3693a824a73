// crm-backup download ID -o FILE: copies an archive out while its download
// window is open. Super admins only: a download copies every customer value
// out, so the user is checked before the repository is opened.

#include "commands.hpp"

#include <crm/catalog/download.hpp>
#include <crm/offsite/fetch.hpp>
#include <crm/snapshot/super_admin.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::backup_app {

namespace {

struct DownloadOptions {
  std::string id;
  std::string output;
};

int run_download(const DownloadOptions& options, const crm::cli::CommonOptions& common)
{
  crm::cli::require_store(common);
  const auto repository_path = crm::cli::require_repo(common);
  const std::string& user = crm::cli::require_user(common);
  crm::snapshot::require_super_admin(*crm::cli::open_store(common, crm::store::Access::read_only), user,
                                     "download backups");

  auto repository = crm::catalog::Repository::open(repository_path, crm::catalog::OpenIntent::read);
  // A backup pruned here (or imported) is fetched from a remote and checked there.
  const auto result = crm::offsite::is_local_backup(repository, options.id)
                          ? crm::catalog::download(repository, options.id, options.output, crm::SystemClock().now())
                          : crm::offsite::download_copy(repository, options.id, options.output);
  if (common.is_json) {
    nlohmann::ordered_json json;
    json["backup_id"] = options.id;
    json["path"] = crm::cli::json_path(result.path);
    json["size_bytes"] = result.size_bytes;
    crm::cli::print_json(json);
  } else {
    fmt::print("{}\n", result.path.string());
  }
  return 0;
}

}  // namespace

crm::cli::Subcommand add_download(CLI::App& app, const crm::cli::CommonOptions& common)
{
  auto options = std::make_shared<DownloadOptions>();
  CLI::App* command =
      app.add_subcommand("download", "Copy a backup's archive out (0600) within 14 days (super admins only)");
  command->add_option("id", options->id, "backup id")->required();
  command->add_option("-o,--output", options->output, "file (or directory) to write")->required();
  return {command, [options, &common] { return run_download(*options, common); }};
}

}  // namespace crm::backup_app
