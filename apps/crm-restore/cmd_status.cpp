// crm-restore status: is a restore running, and how did the last one end.

#include "commands.hpp"

#include <crm/restore/status.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::restore_app {

namespace {

int run_status(const cli::CommonOptions& common)
{
  const auto store_path = cli::require_store(common);
  auto store = store::open_store(store_path, false);
  const auto status = restore::restore_status(*store, store_path);
  if (common.is_json) {
    nlohmann::json out = {{"running", status.is_running}, {"outcome", status.outcome}};
    if (status.last_run) {
      const auto& run = *status.last_run;
      out["last_run"] = {{"state", run.state},       {"user", run.user},         {"object", run.object},
                         {"plan", run.plan},         {"plan_hash", run.plan_hash}, {"started_at", format_iso8601(run.started_at)},
                         {"import_id", run.import_id}, {"error", run.error}};
      if (run.finished_at > 0)
        out["last_run"]["finished_at"] = format_iso8601(run.finished_at);
    }
    if (status.last_import)
      out["last_import"] = {{"id", status.last_import->import.id},
                            {"name", status.last_import->import.name},
                            {"created_at", format_iso8601(status.last_import->import.created_at)},
                            {"user", status.last_import->import.user},
                            {"records_updated", status.last_import->import.records_updated}};
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("restore running: {}\n", status.is_running ? "yes" : "no");
  fmt::print("last restore: {}\n", status.outcome);
  if (status.last_run) {
    const auto& run = *status.last_run;
    fmt::print("  object: {}\n  by: {}\n  started: {}\n  plan: {}\n", run.object, run.user,
               format_human(run.started_at), run.plan);
    if (run.import_id > 0)
      fmt::print("  import: {}\n", run.import_id);
    if (!run.error.empty())
      fmt::print("  error: {}\n", run.error);
    if (status.outcome == "interrupted")
      fmt::print("  the run died before committing: nothing was written\n");
  }
  return 0;
}

}  // namespace

Run add_status(CLI::App& app, const cli::CommonOptions& common)
{
  app.add_subcommand("status", "Is a restore running, and how did the last one end");
  return [&common] { return run_status(common); };
}

}  // namespace crm::restore_app
