// crm-backup: parse, call the library, print, map errors to exit codes.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/cli/main.hpp>
#include <crm/cli/options.hpp>
#include <crm/cli/secret_input.hpp>

#include <vector>

int main(int argc, char** argv)
{
  CLI::App app{"Back up a CRM: consistent, verifiable, reproducible zip archives", "crm-backup"};
  crm::cli::CommonOptions common;
  crm::cli::add_common_options(app, common);
  crm::cli::add_version_flag(app, "crm-backup");
  // The common options (--store, --repo, --as, --json) may also follow the
  // subcommand: `crm-backup create --json`.
  app.fallthrough();
  app.require_subcommand(1);
  const std::vector<crm_backup::Command> commands{
      crm_backup::add_create(app, common),   crm_backup::add_list(app, common),
      crm_backup::add_show(app, common),     crm_backup::add_download(app, common),
      crm_backup::add_verify(app, common),   crm_backup::add_diff(app, common),
      crm_backup::add_prune(app, common),    crm_backup::add_config(app, common),
      crm_backup::add_remote(app, common),
  };
  crm::cli::add_secret_traps(app);
  return crm::cli::run_main(app, argc, argv, [&] {
    for (const auto& command : commands)
      if (command.app->parsed())
        return command.run();
    return crm::exit_code(crm::ErrorKind::usage);
  });
}
