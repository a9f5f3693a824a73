// crm-schedule cron-line: prints the crontab line that calls `run`; with
// --user, the /etc/cron.d form, which names the user.

#include "commands.hpp"

#include <crm/schedule/cron_line.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace crm::schedule_app {

namespace {

struct CronLineOptions {
  int every_minutes = 10;
  std::string log_file;
  std::string user;
};

}  // namespace

cli::Subcommand add_cron_line(CLI::App& app, const cli::CommonOptions& common)
{
  auto options = std::make_shared<CronLineOptions>();
  CLI::App* command = app.add_subcommand("cron-line", "print a crontab line that calls `crm-schedule run`");
  command->add_option("--every-minutes", options->every_minutes, "how often cron calls run (default 10)");
  command->add_option("--log-file", options->log_file, "append output to this file instead of syslog");
  command->add_option("--user", options->user,
                      "print the /etc/cron.d form, which runs the command as this user (the owner of the "
                      "store and the repository)");
  return {command, [options, &common] {
            const schedule::Invocation invocation = run_invocation(common, options->every_minutes, options->log_file);
            const std::string line = schedule::cron_line(schedule::make_absolute(invocation), options->user);
            if (common.is_json)
              cli::print_json({{"cron_line", line}});
            else
              fmt::print("{}\n", line);
            return 0;
          }};
}

}  // namespace crm::schedule_app
