// crm-backup: parse, call the library, print, map errors to exit codes.

#include "commands.hpp"

#include <crm/cli/main.hpp>

int main(int argc, char** argv)
{
  using namespace crm::backup_app;
  CLI::App app{"Back up a CRM: consistent, verifiable, reproducible zip archives", "crm-backup"};
  crm::cli::CommonOptions common;
  crm::cli::set_up_app(app, common);
  return crm::cli::run_main(app, argc, argv,
                            {add_create(app, common), add_list(app, common), add_show(app, common),
                             add_download(app, common), add_export(app, common), add_verify(app, common),
                             add_diff(app, common), add_prune(app, common), add_config(app, common),
                             add_remote(app, common)});
}
