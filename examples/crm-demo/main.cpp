// crm-demo: creates a realistic embedded CRM store and makes bad bulk edits.

#include "commands.hpp"

#include <crm/cli/main.hpp>
#include <crm/cli/options.hpp>

int main(int argc, char** argv)
{
  using namespace crm::demo;
  CLI::App app{"Create a demo CRM store, or make the bad bulk edit people restore from", "crm-demo"};
  crm::cli::add_version_flag(app, "crm-demo");
  app.require_subcommand(1);
  return crm::cli::run_main(app, argc, argv, {add_init(app), add_mutate(app), add_show(app)});
}
