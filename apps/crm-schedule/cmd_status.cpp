#include "commands.hpp"

namespace crm::schedule_app {

Command add_status(CLI::App& app, const cli::CommonOptions&)
{
  CLI::App* subcommand = app.add_subcommand("status", "status");
  return {subcommand, [] { return 70; }};
}

}  // namespace crm::schedule_app
