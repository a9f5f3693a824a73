// crm-schedule enable: turns on recurring backups (enterprise super admins).

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/schedule/configuration.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace crm::schedule_app {

namespace {

struct EnableOptions {
  std::string every;
  std::string day = "mon";
  std::string at = "02:00";
  std::string time_zone = "UTC";
  std::optional<int> keep_daily;
  std::optional<int> keep_weekly;
  std::optional<int> keep_monthly;
  bool is_encrypted = false;
  bool is_unencrypted = false;
  std::string passphrase_file;
};

// --encrypt --passphrase-file FILE, --no-encrypt, or neither (encryption
// stays as it is). The file's path is what the schedule keeps: every run
// reads it again, so it cannot be stdin.
std::optional<std::filesystem::path> requested_passphrase_file(const EnableOptions& options)
{
  if (options.is_encrypted && options.is_unencrypted)
    throw Error(ErrorKind::usage, "--encrypt and --no-encrypt contradict each other", "give one of them");
  if (options.is_unencrypted)
    return std::filesystem::path();
  if (!options.is_encrypted) {
    if (!options.passphrase_file.empty())
      throw Error(ErrorKind::usage, "--passphrase-file is given without --encrypt",
                  "add --encrypt to encrypt scheduled backups");
    return std::nullopt;
  }
  if (options.passphrase_file.empty())
    throw Error(ErrorKind::usage, "--encrypt needs --passphrase-file FILE",
                "give a file holding the passphrase, mode 0600; every scheduled run reads it");
  if (options.passphrase_file == "-")
    throw Error(ErrorKind::usage, "scheduled backups cannot read the passphrase from stdin",
                "give a file holding the passphrase, mode 0600; every scheduled run reads it");
  return std::filesystem::path(options.passphrase_file);
}

std::string encryption_text(const std::optional<std::filesystem::path>& passphrase_file)
{
  if (!passphrase_file)
    return "not encrypted";
  return fmt::format("AES-256 encrypted, passphrase read from {} at each run", passphrase_file->string());
}

int run_enable(const EnableOptions& options, const cli::CommonOptions& common)
{
  schedule::EnableRequest request;
  request.every_weeks = schedule::parse_every(options.every);
  request.weekday = schedule::parse_weekday(options.day);
  request.at = schedule::parse_time_of_day(options.at);
  request.time_zone = options.time_zone;
  if (options.keep_daily || options.keep_weekly || options.keep_monthly)
    request.keep = catalog::KeepRules{options.keep_daily.value_or(0), options.keep_weekly.value_or(0),
                                      options.keep_monthly.value_or(0)};
  request.passphrase_file = requested_passphrase_file(options);
  const auto store = cli::open_store(common, store::Access::read_only);
  const SystemClock clock;
  const schedule::EnableResult result =
      schedule::enable(*store, cli::require_repo(common), cli::require_user(common), request, clock);
  const std::string next = schedule::format_in_zone(result.next_slot, result.record.time_zone);
  if (common.is_json) {
    cli::print_json({{"enabled", true},
                     {"cadence", result.description},
                     {"every_weeks", result.record.every_weeks},
                     {"day", schedule::to_string(request.weekday)},
                     {"at", fmt::format("{:02}:{:02}", result.record.hour, result.record.minute)},
                     {"time_zone", result.record.time_zone},
                     {"user", result.record.user},
                     {"next_run", cli::json_time(result.next_slot)},
                     {"encrypted", result.passphrase_file.has_value()},
                     {"passphrase_file", cli::json_path(result.passphrase_file.value_or(""))}});
  } else {
    fmt::print("schedule enabled: {}, as {}\nbackups: {}\nnext backup: {}\n", result.description, result.record.user,
               encryption_text(result.passphrase_file), next);
  }
  return 0;
}

}  // namespace

cli::Subcommand add_enable(CLI::App& app, const cli::CommonOptions& common)
{
  auto options = std::make_shared<EnableOptions>();
  CLI::App* command = app.add_subcommand("enable", "enable recurring backups (enterprise plan, super admins)");
  command->add_option("--every", options->every, "week or 2weeks")->required();
  command->add_option("--day", options->day, "mon..sun (default mon)");
  command->add_option("--at", options->at, "HH:MM, 24-hour, in --tz (default 02:00)");
  command->add_option("--tz", options->time_zone, "time zone of --day and --at, e.g. Europe/Berlin (default UTC)");
  command->add_option("--keep-daily", options->keep_daily, "also keep the newest backup of N days after expiry");
  command->add_option("--keep-weekly", options->keep_weekly, "also keep the newest backup of N weeks");
  command->add_option("--keep-monthly", options->keep_monthly, "also keep the newest backup of N months");
  command->add_flag("--encrypt", options->is_encrypted,
                    "AES-256 encrypt every scheduled backup with the passphrase in --passphrase-file");
  command
      ->add_option("--passphrase-file", options->passphrase_file,
                   "file holding the passphrase, mode 0600; the schedule keeps its path and reads it at each run")
      ->type_name("FILE");
  command->add_flag("--no-encrypt", options->is_unencrypted, "stop encrypting scheduled backups");
  return {command, [options, &common] { return run_enable(*options, common); }};
}

}  // namespace crm::schedule_app
