#include "commands.hpp"

namespace crm::schedule_app {

Command add_check(CLI::App& app, const cli::CommonOptions&)
{
  CLI::App* subcommand = app.add_subcommand("check", "check");
  return {subcommand, [] { return 70; }};
}

}  // namespace crm::schedule_app
