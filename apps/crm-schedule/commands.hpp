#pragma once
// The subcommands of crm-schedule, one cmd_<name>.cpp each. Every add_*
// registers its subcommand on `app` and returns what runs when it was chosen.

#include <crm/cli/options.hpp>

#include <functional>

namespace crm::schedule_app {

struct Command {
  CLI::App* subcommand = nullptr;
  std::function<int()> run;
};

Command add_enable(CLI::App& app, const cli::CommonOptions& common);
Command add_disable(CLI::App& app, const cli::CommonOptions& common);
Command add_status(CLI::App& app, const cli::CommonOptions& common);
Command add_run(CLI::App& app, const cli::CommonOptions& common);
Command add_cron_line(CLI::App& app, const cli::CommonOptions& common);
Command add_systemd_unit(CLI::App& app, const cli::CommonOptions& common);
Command add_check(CLI::App& app, const cli::CommonOptions& common);

}  // namespace crm::schedule_app
