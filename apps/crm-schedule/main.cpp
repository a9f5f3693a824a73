// crm-schedule: parse, call the library, print, map errors to exit codes.

#include "commands.hpp"

#include <crm/cli/main.hpp>

int main(int argc, char** argv)
{
  using namespace crm::schedule_app;
  CLI::App app{"Recurring backups for cron and systemd", "crm-schedule"};
  crm::cli::CommonOptions common;
  crm::cli::set_up_app(app, common);
  return crm::cli::run_main(app, argc, argv,
                            {add_enable(app, common), add_disable(app, common), add_status(app, common),
                             add_run(app, common), add_cron_line(app, common), add_systemd_unit(app, common),
                             add_check(app, common)});
}
