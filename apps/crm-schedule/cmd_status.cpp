// crm-schedule status: the schedule, its last run, the next run and the
// newest backup's age.

#include "commands.hpp"

#include <crm/schedule/cadence.hpp>
#include <crm/schedule/duration.hpp>
#include <crm/schedule/status.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::schedule_app {

namespace {

void print_status_json(const schedule::ScheduleStatus& status)
{
  nlohmann::ordered_json out;
  const auto& record = status.record;
  out["enabled"] = record && record->is_enabled;
  out["cadence"] = cli::json_text(record ? status.description : "");
  out["user"] = cli::json_text(record ? record->user : "");
  out["time_zone"] = cli::json_text(record ? record->time_zone : "");
  out["last_run"] = cli::json_time(record ? record->last_run_at : std::nullopt);
  out["last_outcome"] = cli::json_text(record ? record->last_outcome : "");
  out["next_run"] = cli::json_time(status.next_run);
  out["is_due"] = status.is_due;
  out["encrypted"] = status.passphrase.has_value();
  if (status.passphrase) {
    out["passphrase_source"] = {{"kind", status.passphrase->is_credential ? "systemd-credential" : "file"},
                                {"path", cli::json_path(status.passphrase->path)},
                                {"problem", cli::json_text(status.passphrase_problem)}};
  } else {
    out["passphrase_source"] = nullptr;
  }
  if (status.last_backup) {
    out["last_backup"] = {{"backup_id", status.last_backup->id},
                          {"created_at", cli::json_time(status.last_backup->created_at)},
                          {"age_seconds", status.last_backup_age},
                          {"age", schedule::format_duration(status.last_backup_age)}};
  } else {
    out["last_backup"] = nullptr;
  }
  cli::print_json(out);
}

void print_text(const schedule::ScheduleStatus& status)
{
  const auto& record = status.record;
  const std::string zone = record ? record->time_zone : "UTC";
  if (!record)
    fmt::print("schedule:    never enabled\n");
  else
    fmt::print("schedule:    {}, {}, as {}\n", record->is_enabled ? "enabled" : "disabled", status.description,
               record->user);
  if (!status.passphrase)
    fmt::print("encryption:  none (scheduled backups are not encrypted)\n");
  else
    fmt::print("encryption:  AES-256, passphrase from {}\n", schedule::describe(*status.passphrase));
  if (status.passphrase && !status.passphrase_problem.empty())
    fmt::print("             but the next backup fails: {}\n", status.passphrase_problem);
  if (record && record->last_run_at)
    fmt::print("last run:    {}: {}\n", schedule::format_in_zone(*record->last_run_at, zone), record->last_outcome);
  else
    fmt::print("last run:    never\n");
  if (status.next_run)
    fmt::print("next run:    {}{}\n", schedule::format_in_zone(*status.next_run, zone),
               status.is_due ? " (due now: the next `crm-schedule run` backs up)" : "");
  else
    fmt::print("next run:    none (the schedule is disabled)\n");
  if (status.last_backup)
    fmt::print("last backup: {} at {} ({} ago)\n", status.last_backup->id,
               schedule::format_in_zone(status.last_backup->created_at, zone),
               schedule::format_duration(status.last_backup_age));
  else
    fmt::print("last backup: none\n");
}

}  // namespace

cli::Subcommand add_status(CLI::App& app, const cli::CommonOptions& common)
{
  CLI::App* command = app.add_subcommand("status", "show the schedule, its last and next run and the newest backup");
  return {command, [&common] {
            const SystemClock clock;
            const schedule::ScheduleStatus status = schedule::status(cli::require_repo(common), clock);
            if (common.is_json)
              print_status_json(status);
            else
              print_text(status);
            return 0;
          }};
}

}  // namespace crm::schedule_app
