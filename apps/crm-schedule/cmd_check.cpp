// crm-schedule check --max-age DURATION: for monitoring. 0 when the newest
// backup is younger than DURATION, otherwise 75 with its age.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/schedule/duration.hpp>
#include <crm/schedule/status.hpp>

#include <fmt/format.h>
#include <memory>
#include <nlohmann/json.hpp>

namespace crm::schedule_app {

namespace {

int run_check(const std::string& max_age_text, const cli::CommonOptions& common)
{
  const std::int64_t max_age = schedule::parse_duration(max_age_text);
  const std::filesystem::path repository = cli::require_repo(common);
  const SystemClock clock;
  const schedule::FreshnessCheck check = schedule::check_freshness(repository, max_age, clock);
  const std::string age = schedule::format_duration(check.age);
  if (common.is_json) {
    nlohmann::json out{{"fresh", check.is_fresh}, {"max_age_seconds", max_age}, {"max_age", max_age_text}};
    if (check.newest) {
      out["newest_backup"] = check.newest->id;
      out["created_at"] = format_iso8601(check.newest->created_at);
      out["age_seconds"] = check.age;
      out["age"] = age;
    } else {
      out["newest_backup"] = nullptr;
    }
    fmt::print("{}\n", out.dump(2));
  }
  if (!check.newest)
    throw Error(ErrorKind::temp_fail, fmt::format("no backup in {} yet", repository.string()),
                "make one with crm-backup create, or check crm-schedule status");
  if (!check.is_fresh)
    throw Error(ErrorKind::temp_fail,
                fmt::format("newest backup {} is {} old, older than {}", check.newest->id, age, max_age_text),
                "check crm-schedule status and the log of crm-schedule run");
  if (!common.is_json)
    fmt::print("ok: newest backup {} is {} old (limit {})\n", check.newest->id, age, max_age_text);
  return 0;
}

}  // namespace

Command add_check(CLI::App& app, const cli::CommonOptions& common)
{
  auto max_age = std::make_shared<std::string>();
  CLI::App* subcommand =
      app.add_subcommand("check", "for monitoring: exit 0 when the newest backup is younger than --max-age, else 75");
  subcommand->add_option("--max-age", *max_age, "a duration such as 36h or 8d")->required();
  return {subcommand, [max_age, &common] { return run_check(*max_age, common); }};
}

}  // namespace crm::schedule_app
