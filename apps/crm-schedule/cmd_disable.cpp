#include "commands.hpp"

namespace crm::schedule_app {

Command add_disable(CLI::App& app, const cli::CommonOptions&)
{
  CLI::App* subcommand = app.add_subcommand("disable", "disable");
  return {subcommand, [] { return 70; }};
}

}  // namespace crm::schedule_app
