#pragma once
// The subcommands of crm-schedule, one cmd_<name>.cpp each. Each add_<name>()
// declares the subcommand's options on `app` and returns it with the function
// that runs it once parsed.

#include <crm/cli/main.hpp>

namespace crm::schedule_app {

cli::Subcommand add_enable(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_disable(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_status(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_run(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_cron_line(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_systemd_unit(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_check(CLI::App& app, const cli::CommonOptions& common);


}  // namespace crm::schedule_app
