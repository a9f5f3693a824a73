#include "commands.hpp"

namespace crm::schedule_app {

Command add_run(CLI::App& app, const cli::CommonOptions&)
{
  CLI::App* subcommand = app.add_subcommand("run", "run");
  return {subcommand, [] { return 70; }};
}

}  // namespace crm::schedule_app
