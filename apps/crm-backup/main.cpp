// crm-backup: parse, call the library, print, map errors to exit codes.

#include <crm/cli/main.hpp>
#include <crm/cli/options.hpp>

int main(int argc, char** argv)
{
  CLI::App app{"Back up a CRM: consistent, verifiable, reproducible zip archives", "crm-backup"};
  crm::cli::CommonOptions common;
  crm::cli::add_common_options(app, common);
  crm::cli::add_version_flag(app, "crm-backup");
  app.require_subcommand(1);
  return crm::cli::run_main(app, argc, argv, [] { return 0; });
}
