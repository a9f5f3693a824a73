#pragma once
// The subcommands of crm-restore: each adds itself to the app and returns the
// function that runs it once the command line is parsed.

#include <crm/cli/options.hpp>

#include <functional>

namespace crm::restore_app {

using Run = std::function<int()>;

Run add_plan(CLI::App& app, const cli::CommonOptions& common);
Run add_apply(CLI::App& app, const cli::CommonOptions& common);
Run add_status(CLI::App& app, const cli::CommonOptions& common);
Run add_history(CLI::App& app, const cli::CommonOptions& common);
Run add_undo(CLI::App& app, const cli::CommonOptions& common);

}  // namespace crm::restore_app
