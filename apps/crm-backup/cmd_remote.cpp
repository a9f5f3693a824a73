// crm-backup remote add|list|remove|sync|import: off-site copies through
// rclone (docs/offsite.md). Everything but list changes what the repository
// copies or knows, or copies customer data out: super admins only, checked
// before the repository is opened.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/offsite/remotes.hpp>
#include <crm/offsite/sync.hpp>
#include <crm/snapshot/super_admin.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::backup_app {

namespace {

struct RemoteOptions {
  std::string name;
  std::string destination;
  CLI::App* add = nullptr;
  CLI::App* list = nullptr;
  CLI::App* remove = nullptr;
  CLI::App* sync = nullptr;
  CLI::App* import = nullptr;
};

void require_super_admin(const crm::cli::CommonOptions& common, std::string_view action)
{
  const auto store_path = crm::cli::require_store(common);
  crm::cli::require_repo(common);
  const std::string& user = crm::cli::require_user(common);
  crm::snapshot::require_super_admin(*crm::store::open_store(store_path, crm::store::Access::read_only), user, action);
}

int run_add(const RemoteOptions& options, const crm::cli::CommonOptions& common)
{
  require_super_admin(common, "add remotes");
  const auto remote =
      crm::offsite::add_remote(crm::cli::require_repo(common), options.name, options.destination, crm::SystemClock());
  if (common.is_json)
    crm::cli::print_json({{"name", remote.name}, {"destination", remote.destination}});
  else
    fmt::print("remote {} added: {} (crm-backup remote sync copies the backups there now)\n", remote.name,
               crm::printable(remote.destination, 200));
  return 0;
}

int run_remote_list(const crm::cli::CommonOptions& common)
{
  const auto summaries = crm::offsite::list_remotes(crm::cli::require_repo(common));
  if (common.is_json) {
    auto remotes = nlohmann::ordered_json::array();
    for (const auto& summary : summaries) {
      nlohmann::ordered_json json{{"name", summary.remote.name},
                                  {"destination", summary.remote.destination},
                                  {"added_at", crm::cli::json_time(summary.remote.added_at)},
                                  {"copied", summary.copied},
                                  {"pending", summary.pending},
                                  {"failed", summary.failed}};
      json["newest_copied"] = summary.newest_copied ? nlohmann::ordered_json(summary.newest_copied->backup_id)
                                                    : nlohmann::ordered_json(nullptr);
      remotes.push_back(std::move(json));
    }
    crm::cli::print_json(remotes);
    return 0;
  }
  if (summaries.empty()) {
    fmt::print("no remotes (crm-backup remote add NAME DESTINATION adds one)\n");
    return 0;
  }
  fmt::print("{:<16} {:>7} {:>7} {:>7}  {:<22} {}\n", "NAME", "COPIED", "PENDING", "FAILED", "NEWEST COPY",
             "DESTINATION");
  for (const auto& summary : summaries)
    fmt::print("{:<16} {:>7} {:>7} {:>7}  {:<22} {}\n", summary.remote.name, summary.copied, summary.pending,
               summary.failed, summary.newest_copied ? summary.newest_copied->backup_id : "-",
               crm::printable(summary.remote.destination, 200));
  return 0;
}

int run_remove(const RemoteOptions& options, const crm::cli::CommonOptions& common)
{
  require_super_admin(common, "remove remotes");
  crm::offsite::remove_remote(crm::cli::require_repo(common), options.name);
  if (!common.is_json)
    fmt::print("remote {} removed (its files on the remote stay)\n", options.name);
  else
    crm::cli::print_json({{"name", options.name}, {"removed", true}});
  return 0;
}

int run_sync(const RemoteOptions& options, const crm::cli::CommonOptions& common)
{
  require_super_admin(common, "copy backups to remotes");
  const auto report = crm::offsite::sync(crm::cli::require_repo(common), crm::SystemClock(), options.name);
  if (report.is_lock_held)
    throw crm::Error(crm::ErrorKind::temp_fail, "another process is copying backups to the remotes (remote.lock held)",
                     "wait for it to finish and run again");
  std::string problem;
  auto copies = nlohmann::ordered_json::array();
  for (const auto& outcome : report.outcomes) {
    const std::string_view state = crm::catalog::to_string(outcome.state);
    copies.push_back({{"remote", outcome.remote_name},
                      {"backup_id", outcome.backup_id},
                      {"state", state},
                      {"reason", crm::cli::json_text(outcome.reason)}});
    if (!common.is_json)
      fmt::print("{} {} {}{}\n", outcome.backup_id, outcome.remote_name, state,
                 outcome.reason.empty() ? "" : ": " + outcome.reason);
    if (outcome.state != crm::catalog::CopyState::copied && problem.empty())
      problem =
          fmt::format("backup {} not copied to remote {}: {}", outcome.backup_id, outcome.remote_name, outcome.reason);
  }
  if (!problem.empty())  // under --json, its error document is the output (main.hpp)
    throw crm::Error(crm::ErrorKind::unavailable, problem, "check the remote and run crm-backup remote sync again");
  if (common.is_json)
    crm::cli::print_json({{"copies", copies}});
  else if (report.outcomes.empty())
    fmt::print("nothing to copy: every backup is on every remote\n");
  return 0;
}

int run_import(const RemoteOptions& options, const crm::cli::CommonOptions& common)
{
  require_super_admin(common, "import backups from remotes");
  const auto report = crm::offsite::import_remote(crm::cli::require_repo(common), options.name, crm::SystemClock());
  if (common.is_json) {
    crm::cli::print_json({{"remote", options.name}, {"imported", report.imported}, {"skipped", report.skipped}});
    return 0;
  }
  for (const auto& id : report.imported)
    fmt::print("imported {}\n", id);
  for (const auto& skipped : report.skipped)
    fmt::print("skipped {}\n", crm::printable(skipped, 300));
  fmt::print("{} backups imported from remote {}, {} skipped\n", report.imported.size(), options.name,
             report.skipped.size());
  return 0;
}

}  // namespace

crm::cli::Subcommand add_remote(CLI::App& app, const crm::cli::CommonOptions& common)
{
  auto options = std::make_shared<RemoteOptions>();
  CLI::App* command = app.add_subcommand("remote", "Off-site copies through rclone: add, list, remove, sync, import");
  command->require_subcommand(1);
  options->add = command->add_subcommand("add", "Copy every backup to DESTINATION too (super admins only)");
  options->add->add_option("name", options->name, "a name for the remote")->required();
  options->add
      ->add_option("destination", options->destination,
                   "an rclone remote and path (s3-backups:acme/crm) or a local directory")
      ->required();
  options->list = command->add_subcommand("list", "The remotes and how many copies each holds");
  options->remove = command->add_subcommand("remove", "Stop copying to a remote; its files stay (super admins only)");
  options->remove->add_option("name", options->name, "the remote")->required();
  options->sync = command->add_subcommand("sync", "Copy every backup not copied yet (super admins only)");
  options->sync->add_option("name", options->name, "only this remote");
  options->import = command->add_subcommand(
      "import", "Learn the backups on a remote from their sidecars (disaster recovery; super admins only)");
  options->import->add_option("name", options->name, "the remote")->required();
  return {command, [options, &common] {
            if (options->add->parsed())
              return run_add(*options, common);
            if (options->list->parsed())
              return run_remote_list(common);
            if (options->remove->parsed())
              return run_remove(*options, common);
            if (options->sync->parsed())
              return run_sync(*options, common);
            return run_import(*options, common);
          }};
}

}  // namespace crm::backup_app
