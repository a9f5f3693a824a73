// crm-schedule run: what cron or a systemd timer calls every few minutes.
// Backs up when a slot is due; otherwise exits 0 quietly (one line with
// --verbose).

#include "commands.hpp"

#include <crm/schedule/cadence.hpp>
#include <crm/schedule/run.hpp>
#include <crm/schedule/snapshot_job.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace crm::schedule_app {

namespace {

std::string_view outcome_name(schedule::RunOutcome outcome)
{
  switch (outcome) {
  case schedule::RunOutcome::disabled: return "disabled";
  case schedule::RunOutcome::busy: return "busy";
  case schedule::RunOutcome::nothing_due: return "nothing_due";
  case schedule::RunOutcome::backed_up: return "backed_up";
  }
  return "nothing_due";
}

int run_run(bool is_verbose, const cli::CommonOptions& common)
{
  const std::filesystem::path repository = cli::require_repo(common);
  const auto print_line = [](std::string_view line) { fmt::print(stderr, "crm-schedule: {}\n", line); };
  const auto job = schedule::snapshot_job(cli::require_store(common), repository, print_line);
  const SystemClock clock;
  const schedule::RunReport report = schedule::run(repository, *job, clock);
  for (const std::string& warning : report.warnings)
    print_line("warning: " + warning);
  if (common.is_json) {
    cli::print_json({{"outcome", outcome_name(report.outcome)},
                     {"slot", cli::json_time(report.slot)},
                     {"next_slot", cli::json_time(report.next_slot)},
                     {"backup_id", cli::json_text(report.backup_id)},
                     {"pruned", report.pruned},
                     {"warnings", report.warnings},
                     {"message", report.message}});
  } else if (is_verbose || report.outcome == schedule::RunOutcome::backed_up) {
    fmt::print("{}\n", report.message);
    for (const std::string& id : report.pruned)
      fmt::print("pruned expired backup {}\n", id);
  }
  return 0;
}

}  // namespace

cli::Subcommand add_run(CLI::App& app, const cli::CommonOptions& common)
{
  auto is_verbose = std::make_shared<bool>(false);
  CLI::App* command =
      app.add_subcommand("run", "back up when a slot is due (for cron or a systemd timer; call it every few minutes)");
  command->add_flag("--verbose,-v", *is_verbose, "say what was decided even when nothing is due");
  return {command, [is_verbose, &common] { return run_run(*is_verbose, common); }};
}

}  // namespace crm::schedule_app
