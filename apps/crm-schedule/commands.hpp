#pragma once
// The subcommands of crm-schedule, one cmd_<name>.cpp each. Each add_<name>()
// declares the subcommand's options on `app` and returns it with the function
// that runs it once parsed.

#include <crm/cli/main.hpp>
#include <crm/schedule/invocation.hpp>

#include <string>

namespace crm::schedule_app {

cli::Subcommand add_enable(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_disable(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_status(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_run(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_cron_line(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_systemd_unit(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_check(CLI::App& app, const cli::CommonOptions& common);

// The `crm-schedule run` that cron-line and systemd-unit print: this program
// with the store and repository of `common` (both required), called every
// `every_minutes`, appending to `log_file` when set.
schedule::Invocation run_invocation(const cli::CommonOptions& common, int every_minutes, const std::string& log_file);

}  // namespace crm::schedule_app
