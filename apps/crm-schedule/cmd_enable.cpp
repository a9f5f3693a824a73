// crm-schedule enable: turns on recurring backups (enterprise super admins).

#include "commands.hpp"

#include <crm/schedule/configuration.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <memory>
#include <nlohmann/json.hpp>

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
};

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
  const auto store = cli::open_store(common, store::Access::read_only);
  const SystemClock clock;
  const schedule::EnableResult result =
      schedule::enable(*store, cli::require_repo(common), cli::require_user(common), request, clock);
  const std::string next = schedule::format_in_zone(result.next_slot, result.record.time_zone);
  if (common.is_json) {
    fmt::print("{}\n", nlohmann::json{{"enabled", true},
                                      {"cadence", result.description},
                                      {"every_weeks", result.record.every_weeks},
                                      {"day", schedule::to_string(request.weekday)},
                                      {"at", fmt::format("{:02}:{:02}", result.record.hour, result.record.minute)},
                                      {"time_zone", result.record.time_zone},
                                      {"user", result.record.user},
                                      {"next_run", format_iso8601(result.next_slot)},
                                      {"next_run_local", next}}
                           .dump(2));
  } else {
    fmt::print("schedule enabled: {}, as {}\nnext backup: {}\n", result.description, result.record.user, next);
  }
  return 0;
}

}  // namespace

Command add_enable(CLI::App& app, const cli::CommonOptions& common)
{
  auto options = std::make_shared<EnableOptions>();
  CLI::App* subcommand = app.add_subcommand("enable", "enable recurring backups (enterprise plan, super admins)");
  subcommand->add_option("--every", options->every, "week or 2weeks")->required();
  subcommand->add_option("--day", options->day, "mon..sun (default mon)");
  subcommand->add_option("--at", options->at, "HH:MM, 24-hour, in --tz (default 02:00)");
  subcommand->add_option("--tz", options->time_zone, "time zone of --day and --at, e.g. Europe/Berlin (default UTC)");
  subcommand->add_option("--keep-daily", options->keep_daily, "also keep the newest backup of N days after expiry");
  subcommand->add_option("--keep-weekly", options->keep_weekly, "also keep the newest backup of N weeks");
  subcommand->add_option("--keep-monthly", options->keep_monthly, "also keep the newest backup of N months");
  return {subcommand, [options, &common] { return run_enable(*options, common); }};
}

}  // namespace crm::schedule_app
