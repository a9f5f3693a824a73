// crm-restore apply: run a reviewed plan, after the acknowledgements and 2FA.

#include "commands.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/cli/progress_bar.hpp>
#include <crm/cli/secret_input.hpp>
#include <crm/notify/notifier.hpp>
#include <crm/restore/applier.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace crm::restore_app {

namespace {

struct ApplyOptions {
  std::string plan;
  std::string confirm;
  bool is_data_change_acknowledged = false;
  bool is_irreversible_acknowledged = false;
  cli::SecretSource otp = cli::otp_source();
};

bool is_interactive() { return ::isatty(STDIN_FILENO) && ::isatty(STDERR_FILENO); }

// Asks a yes/no question on the terminal; anything but yes is no, and a no
// stops the restore at once: nothing is asked after it, the 2FA code
// included.
void require_yes(const std::string& question)
{
  fmt::print(stderr, "{} [yes/no] ", question);
  std::fflush(stderr);
  char answer[64] = {};
  const std::string text(std::fgets(answer, sizeof answer, stdin) != nullptr ? answer : "");
  if (!(text.starts_with("yes") || text.starts_with("y\n") || text == "y"))
    throw Error(ErrorKind::no_permission, "restore cancelled", "nothing was changed");
}

int run_apply(ApplyOptions options, const cli::CommonOptions& common)
{
  cli::require_store(common);
  const std::string& user = cli::require_user(common);
  auto repository = journal_repository(common, catalog::OpenIntent::create);
  if (is_interactive()) {
    if (!options.is_data_change_acknowledged)
      require_yes("This restore changes data in the CRM. Continue?");
    if (!options.is_irreversible_acknowledged)
      require_yes("The CRM keeps no undo of a restore; this tool keeps an undo file (crm-restore undo). Continue?");
    options.is_data_change_acknowledged = options.is_irreversible_acknowledged = true;
  }
  restore::ApplyRequest request;
  request.plan = std::filesystem::absolute(options.plan);  // as the journal records it
  request.confirm_hash = options.confirm;
  request.user = user;
  request.is_data_change_acknowledged = options.is_data_change_acknowledged;
  request.is_irreversible_acknowledged = options.is_irreversible_acknowledged;
  request.notify_command = notify::configured_command(repository.settings());
  const SystemClock clock;
  auto store = store::open_store(common.store, store::Access::read_write, repository.settings().all());
  auto journal = repository.journal();
  // The code is read only when it is needed: an SSO user is never asked.
  if (const auto account_user = store->read()->find_user(user); account_user && !account_user->uses_sso)
    request.otp_code = cli::read_secret(options.otp);
  cli::ProgressBar bar("crm-restore");  // the stage, and records written of the plan's
  const auto result = restore::apply_plan(*store, journal, request, clock, bar.callback());
  bar.clear();
  const auto& summary = result.summary;
  const bool is_written = !result.is_nothing_to_restore;
  nlohmann::ordered_json out = {
      {"import_id", is_written ? nlohmann::ordered_json(result.import_id) : nullptr},
      {"import", is_written ? nlohmann::ordered_json(restore::import_name(result.header.object_singular)) : nullptr},
      {"object", result.header.object_name},
      {"backup_id", cli::json_text(result.header.source.backup_id)},
      {"plan", cli::json_path(options.plan)},
      {"plan_hash", result.plan_hash},
      {"nothing_to_restore", result.is_nothing_to_restore},
      {"records_updated", result.records_written},
      {"records_failed", result.records_failed},
      {"continued", result.is_continued},
      {"values_set", is_written ? summary.values_to_set : 0},
      {"values_cleared", is_written ? summary.values_to_clear : 0},
      {"enrollments", result.enrollments},
      {"undo_file", cli::json_path(result.undo_file)},
  };
  if (!common.is_json && !is_written) {
    fmt::print("nothing to restore: the plan changes no record; no import was recorded\n");
    return 0;
  }
  if (!common.is_json) {
    fmt::print("import {}: {}\n", result.import_id, restore::import_name(result.header.object_singular));
    fmt::print("records updated: {}\nvalues set: {}\nvalues cleared: {}\nworkflow enrollments: {}\n",
               result.records_written, summary.values_to_set, summary.values_to_clear, result.enrollments);
    if (result.records_failed > 0)
      fmt::print("records refused by the CRM: {} (crm-restore status shows why)\n", result.records_failed);
    fmt::print("undo file: {}\n", result.undo_file.string());
  }
  // Exit 0 only when every record was written (SPEC §7, issue 9): a CI job
  // must not read a half restore as done. Under --json the document goes
  // with the error.
  if (result.records_failed > 0)
    return cli::report_failure(
        "crm-restore",
        Error(ErrorKind::data,
              fmt::format("restore partly applied: {} {} updated, {} refused by the CRM; import {}",
                          result.records_written, result.header.object_name, result.records_failed, result.import_id),
              "crm-restore status lists each refused record and why"),
        common.is_json, std::move(out));
  if (common.is_json)
    cli::print_json(out);
  if (!is_written)
    return 0;
  fmt::print(stderr, "crm-restore: restore done: {} {} updated ({} values set, {} cleared); import {}\n",
             result.records_written, result.header.object_name, summary.values_to_set, summary.values_to_clear,
             result.import_id);
  return 0;
}

}  // namespace

cli::Subcommand add_apply(CLI::App& app, const cli::CommonOptions& common)
{
  auto options = std::make_shared<ApplyOptions>();
  CLI::App* command = app.add_subcommand("apply", "Apply a reviewed restore plan");
  command->add_option("plan", options->plan, "the plan file")->required();
  command->add_option("--confirm", options->confirm, "the plan's hash, as plan printed it")->required();
  command->add_flag("--acknowledge-data-change", options->is_data_change_acknowledged,
                    "acknowledge that the restore changes data");
  command->add_flag("--acknowledge-irreversible", options->is_irreversible_acknowledged,
                    "acknowledge that the CRM keeps no undo of the restore");
  cli::add_secret_file_option(*command, "--otp-file", options->otp);
  return {command, [options, &common] { return run_apply(*options, common); }};
}

}  // namespace crm::restore_app
