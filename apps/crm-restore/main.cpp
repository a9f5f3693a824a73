// crm-restore: parse, call the library, print, map errors to exit codes.

#include "commands.hpp"

#include <crm/cli/main.hpp>
#include <crm/cli/options.hpp>
#include <crm/cli/secret_input.hpp>

#include <map>
#include <string>

int main(int argc, char** argv)
{
  CLI::App app{"Restore property values of one object type from a backup, after review", "crm-restore"};
  crm::cli::CommonOptions common;
  crm::cli::add_common_options(app, common);
  crm::cli::add_version_flag(app, "crm-restore");
  app.require_subcommand(1);
  // Common options (--json, --store, --repo, --as) may also follow the subcommand.
  app.fallthrough();
  using namespace crm::restore_app;
  const std::map<std::string, Run> commands = {
      {"plan", add_plan(app, common)},       {"apply", add_apply(app, common)}, {"status", add_status(app, common)},
      {"history", add_history(app, common)}, {"undo", add_undo(app, common)},
      {"2fa", add_second_factor(app, common)},
  };
  crm::cli::add_secret_traps(app);
  return crm::cli::run_main(app, argc, argv,
                            [&] { return commands.at(app.get_subcommands().front()->get_name())(); });
}
