// crm-schedule check --max-age DURATION: for monitoring. 0 when the newest
// backup is younger than DURATION, otherwise 75 with its age; 75 too when
// verify found it damaged, or, with --verified, when it has not passed verify.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/schedule/duration.hpp>
#include <crm/schedule/status.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

namespace crm::schedule_app {

namespace {

struct CheckOptions {
  std::string max_age;
  std::string remote;  // the newest copy on this remote instead of the newest local backup
  bool is_verified_required = false;
};

// Why the check fails, if it does: no backup, the newest one damaged or not
// verified when --verified asks, or too old.
std::optional<Error> check_problem(const schedule::FreshnessCheck& check, const CheckOptions& options,
                                   const std::filesystem::path& repository)
{
  // "backup" or "copy on remote offsite": what the lines are about.
  const std::string what = options.remote.empty() ? "backup" : "copy on remote " + options.remote;
  if (!check.newest)
    return Error(ErrorKind::temp_fail,
                 options.remote.empty() ? fmt::format("no backup in {} yet", repository.string())
                                        : fmt::format("no backup copied to remote {} yet", options.remote),
                 options.remote.empty() ? "make one with crm-backup create, or check crm-schedule status"
                                        : "check crm-backup remote list and run crm-backup remote sync");
  // A remote's copies are checked by their SHA-256 when copied (check_remote_freshness).
  if (options.remote.empty() && check.newest->state == catalog::BackupState::damaged)
    return Error(ErrorKind::temp_fail,
                 fmt::format("newest {} {} is damaged: {}", what, check.newest->id, check.newest->damage),
                 "make a new backup (crm-backup create), and find out what damaged it");
  if (options.is_verified_required && check.newest->state != catalog::BackupState::verified)
    return Error(ErrorKind::temp_fail, fmt::format("newest {} {} has not passed verify", what, check.newest->id),
                 fmt::format("run crm-backup verify {}", check.newest->id));
  if (!check.is_fresh)
    return Error(ErrorKind::temp_fail,
                 fmt::format("newest {} {} is {} old, older than {}", what, check.newest->id,
                             schedule::format_duration(check.age), options.max_age),
                 "check crm-schedule status and the log of crm-schedule run");
  return std::nullopt;
}

int run_check(const CheckOptions& options, const cli::CommonOptions& common)
{
  const std::int64_t max_age = schedule::parse_duration(options.max_age);
  const std::filesystem::path repository = cli::require_repo(common);
  const SystemClock clock;
  const schedule::FreshnessCheck check =
      options.remote.empty() ? schedule::check_freshness(repository, max_age, clock)
                             : schedule::check_remote_freshness(repository, options.remote, max_age, clock);
  nlohmann::ordered_json out{{"fresh", check.is_fresh},    {"max_age_seconds", max_age},
                             {"max_age", options.max_age}, {"remote", cli::json_text(options.remote)},
                             {"backup_id", nullptr},       {"created_at", nullptr},
                             {"age_seconds", nullptr},     {"age", nullptr},
                             {"checked", nullptr}};
  if (check.newest) {
    out["backup_id"] = check.newest->id;
    out["created_at"] = cli::json_time(check.newest->created_at);
    out["age_seconds"] = check.age;
    out["age"] = schedule::format_duration(check.age);
    out["checked"] = std::string(catalog::to_string(check.newest->state));
  }
  // Under --json, a failed check's document goes with its error.
  if (const std::optional<Error> problem = check_problem(check, options, repository))
    return cli::report_failure("crm-schedule", *problem, common.is_json, std::move(out));
  if (common.is_json)
    cli::print_json(out);
  else
    fmt::print("ok: newest {} {} is {} old (limit {})\n",
               options.remote.empty() ? "backup" : "copy on remote " + options.remote, check.newest->id,
               schedule::format_duration(check.age), options.max_age);
  return 0;
}

}  // namespace

cli::Subcommand add_check(CLI::App& app, const cli::CommonOptions& common)
{
  auto options = std::make_shared<CheckOptions>();
  CLI::App* command =
      app.add_subcommand("check", "for monitoring: exit 0 when the newest backup is younger than --max-age, else 75");
  command->add_option("--max-age", options->max_age, "a duration such as 36h or 8d")->required();
  auto* remote = command->add_option("--remote", options->remote, "check the newest copy on this remote instead");
  command
      ->add_flag("--verified", options->is_verified_required,
                 "require the newest backup to have passed crm-backup verify (scheduled runs verify theirs)")
      ->excludes(remote);
  return {command, [options, &common] { return run_check(*options, common); }};
}

}  // namespace crm::schedule_app
