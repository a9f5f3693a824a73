// crm-restore: parse, call the library, print, map errors to exit codes.

#include "commands.hpp"

#include <crm/cli/main.hpp>

int main(int argc, char** argv)
{
  using namespace crm::restore_app;
  CLI::App app{"Restore property values of one object type from a backup, after review", "crm-restore"};
  crm::cli::CommonOptions common;
  crm::cli::set_up_app(app, common);
  return crm::cli::run_main(app, argc, argv,
                            {add_plan(app, common), add_show(app, common), add_apply(app, common),
                             add_status(app, common), add_history(app, common), add_undo(app, common),
                             add_second_factor(app, common)});
}
