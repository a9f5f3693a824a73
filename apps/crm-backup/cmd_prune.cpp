// crm-backup prune: removes archives past their download window unless a
// keep rule holds them. Super admins only, checked before the repository is
// opened, even for --dry-run (it lists what the repository holds).

#include "commands.hpp"

#include <crm/catalog/prune.hpp>
#include <crm/offsite/remotes.hpp>
#include <crm/snapshot/super_admin.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::backup_app {

namespace {

struct PruneOptions {
  crm::catalog::KeepRules rules;
  bool is_dry_run = false;
  std::string remote;  // prune the copies on this remote instead
};

int run_prune(const PruneOptions& options, const crm::cli::CommonOptions& common)
{
  crm::cli::require_store(common);
  const auto repository_path = crm::cli::require_repo(common);
  const std::string& user = crm::cli::require_user(common);
  crm::snapshot::require_super_admin(*crm::cli::open_store(common, crm::store::Access::read_only), user,
                                     "prune backups");

  std::vector<crm::catalog::PruneDecision> decisions;
  if (!options.remote.empty()) {
    decisions = crm::offsite::prune_remote(repository_path, options.remote, options.rules, crm::SystemClock().now(),
                                           options.is_dry_run);
  } else {
    auto repository = crm::catalog::Repository::open(repository_path, crm::catalog::OpenIntent::write);
    if (!options.is_dry_run)
      repository.acquire_writer_lock();
    decisions = crm::catalog::prune(repository, options.rules, crm::SystemClock().now(), options.is_dry_run);
  }
  if (common.is_json) {
    nlohmann::ordered_json json;
    json["dry_run"] = options.is_dry_run;
    json["remote"] = crm::cli::json_text(options.remote);
    json["backups"] = nlohmann::ordered_json::array();
    for (const auto& decision : decisions)
      json["backups"].push_back({{"backup_id", decision.record.id},
                                 {"action", decision.action == crm::catalog::PruneAction::remove ? "remove" : "keep"},
                                 {"reason", decision.reason}});
    crm::cli::print_json(json);
    return 0;
  }
  std::size_t removed = 0;
  for (const auto& decision : decisions) {
    const bool is_removed = decision.action == crm::catalog::PruneAction::remove;
    removed += is_removed ? 1 : 0;
    fmt::print("{} {} ({})\n", is_removed ? (options.is_dry_run ? "would remove" : "removed") : "kept",
               decision.record.id, decision.reason);
  }
  fmt::print("{} {} of {} backups\n", options.is_dry_run ? "would remove" : "removed", removed, decisions.size());
  return 0;
}

}  // namespace

crm::cli::Subcommand add_prune(CLI::App& app, const crm::cli::CommonOptions& common)
{
  auto options = std::make_shared<PruneOptions>();
  CLI::App* command = app.add_subcommand(
      "prune", "Remove archives past their download window unless a keep rule holds them (super admins only)");
  command->add_option("--keep-daily", options->rules.daily, "keep the newest backup of each of N days")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--keep-weekly", options->rules.weekly, "keep the newest backup of each of N weeks")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--keep-monthly", options->rules.monthly, "keep the newest backup of each of N months")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--allow-empty", options->rules.allow_empty,
                    "remove the newest backup too when no rule holds it (kept otherwise)");
  command->add_flag("--dry-run", options->is_dry_run, "say what would be removed, remove nothing");
  command->add_option("--remote", options->remote,
                      "prune the copies on this remote by these rules, independently of the repository's own");
  return {command, [options, &common] { return run_prune(*options, common); }};
}

}  // namespace crm::backup_app
