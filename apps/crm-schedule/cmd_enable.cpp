#include "commands.hpp"

namespace crm::schedule_app {

Command add_enable(CLI::App& app, const cli::CommonOptions&)
{
  CLI::App* subcommand = app.add_subcommand("enable", "enable");
  return {subcommand, [] { return 70; }};
}

}  // namespace crm::schedule_app
