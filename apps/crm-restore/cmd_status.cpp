// crm-restore status: is a restore running, and how did the last one end.

#include "commands.hpp"

#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/restore/status.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::restore_app {

namespace {

int run_status(const cli::CommonOptions& common)
{
  auto store = cli::open_store(common, store::Access::read_only);
  // Writable when it may be, so that a run a dead process left behind is
  // settled in the journal; a read-only repository is still reported on.
  bool is_writable = true;
  std::optional<catalog::Repository> repository;
  try {
    repository.emplace(journal_repository(common, catalog::OpenIntent::write));
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::not_found || error.kind() == ErrorKind::usage)
      throw;
    repository.emplace(journal_repository(common, catalog::OpenIntent::read));
    is_writable = false;
  }
  auto journal = repository->journal();
  const SystemClock clock;
  const auto status = restore::restore_status(*store, journal, is_writable, clock);
  if (common.is_json) {
    nlohmann::ordered_json out = {{"running", status.is_running}, {"outcome", status.outcome}};
    out["last_run"] = nullptr;
    if (status.last_run) {
      const auto& run = *status.last_run;
      out["last_run"] = {
          {"id", run.id},
          {"state", catalog::to_string(run.state)},
          {"user", run.user},
          {"object", run.object_name},
          {"plan", cli::json_path(run.plan)},
          {"plan_hash", run.plan_hash},
          {"started_at", cli::json_time(run.started_at)},
          {"finished_at",
           cli::json_time(run.finished_at > 0 ? std::optional<UnixTime>(run.finished_at) : std::nullopt)},
          {"records_total", run.records_total},
          {"records_written", run.records_written},
          {"records_failed", run.records_failed},
          {"import_id", run.state == catalog::RunState::applied || run.state == catalog::RunState::partly_applied
                            ? nlohmann::ordered_json(run.id)
                            : nullptr},
          {"error", cli::json_text(run.error)}};
      auto failures = nlohmann::ordered_json::array();
      for (const auto& failure : journal.failures(run.id))
        failures.push_back({{"id", failure.id}, {"outcome", failure.outcome}, {"reason", failure.reason}});
      out["last_run"]["failures"] = failures;
    }
    out["last_import"] = nullptr;
    if (status.last_import)
      out["last_import"] = {{"id", status.last_import->import.id},
                            {"name", status.last_import->import.name},
                            {"created_at", cli::json_time(status.last_import->import.created_at)},
                            {"user", status.last_import->import.user},
                            {"records_updated", status.last_import->import.records_updated}};
    cli::print_json(out);
    return 0;
  }
  fmt::print("restore running: {}\n", status.is_running ? "yes" : "no");
  fmt::print("last restore: {}\n", status.outcome);
  if (status.last_run) {
    const auto& run = *status.last_run;
    fmt::print("  run: {}\n  object: {}\n  by: {}\n  started: {}\n  plan: {}\n  records written: {} of {}\n", run.id,
               run.object_name, run.user, format_human(run.started_at), run.plan, run.records_written,
               run.records_total);
    if (run.records_failed > 0)
      fmt::print("  records refused: {}\n", run.records_failed);
    if (!run.error.empty())
      fmt::print("  error: {}\n", run.error);
    if (run.state == catalog::RunState::partly_applied)
      fmt::print("  apply the same plan again to continue where it stopped\n");
  }
  return 0;
}

}  // namespace

cli::Subcommand add_status(CLI::App& app, const cli::CommonOptions& common)
{
  CLI::App* command = app.add_subcommand("status", "Is a restore running, and how did the last one end");
  return {command, [&common] { return run_status(common); }};
}

}  // namespace crm::restore_app
