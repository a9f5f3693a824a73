// crm-schedule: parse, call the library, print, map errors to exit codes.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/cli/main.hpp>
#include <crm/cli/options.hpp>
#include <crm/cli/secret_input.hpp>

#include <vector>

int main(int argc, char** argv)
{
  using namespace crm::schedule_app;
  CLI::App app{"Recurring backups for cron and systemd", "crm-schedule"};
  // Common options may follow the subcommand: `crm-schedule status --json`.
  app.fallthrough();
  crm::cli::CommonOptions common;
  crm::cli::add_common_options(app, common);
  crm::cli::add_version_flag(app, "crm-schedule");
  app.require_subcommand(1);
  const std::vector<Command> commands{add_enable(app, common),    add_disable(app, common),
                                      add_status(app, common),    add_run(app, common),
                                      add_cron_line(app, common), add_systemd_unit(app, common),
                                      add_check(app, common)};
  // A passphrase is never taken on the command line (SPEC §8).
  crm::cli::add_secret_traps(app);
  return crm::cli::run_main(app, argc, argv, [&] {
    for (const Command& command : commands) {
      if (command.subcommand->parsed())
        return command.run();
    }
    throw crm::Error(crm::ErrorKind::usage, "no subcommand given", "see crm-schedule --help");
  });
}
