#pragma once
// The subcommands of crm-restore: each adds itself to the app and returns the
// function that runs it once the command line is parsed.

#include <crm/catalog/repository.hpp>
#include <crm/cli/options.hpp>

#include <functional>

namespace crm::restore_app {

using Run = std::function<int()>;

Run add_plan(CLI::App& app, const cli::CommonOptions& common);
Run add_apply(CLI::App& app, const cli::CommonOptions& common);
Run add_status(CLI::App& app, const cli::CommonOptions& common);
Run add_history(CLI::App& app, const cli::CommonOptions& common);
Run add_undo(CLI::App& app, const cli::CommonOptions& common);
Run add_second_factor(CLI::App& app, const cli::CommonOptions& common);

// The backup repository that holds the journal (--repo / CRM_BACKUP_REPO;
// Error(usage) without one): restore runs, imports, the restore lock and 2FA
// state live there, whatever the store.
catalog::Repository journal_repository(const cli::CommonOptions& common, catalog::OpenIntent intent);

}  // namespace crm::restore_app
