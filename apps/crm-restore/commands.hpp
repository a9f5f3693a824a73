#pragma once
// The subcommands of crm-restore, one cmd_<name>.cpp each. Each add_<name>()
// declares the subcommand's options on `app` and returns it with the function
// that runs it once parsed.

#include <crm/catalog/repository.hpp>
#include <crm/cli/main.hpp>

namespace crm::restore_app {

cli::Subcommand add_plan(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_show(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_apply(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_status(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_history(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_undo(CLI::App& app, const cli::CommonOptions& common);
cli::Subcommand add_second_factor(CLI::App& app, const cli::CommonOptions& common);

// The backup repository that holds the journal (--repo / CRM_BACKUP_REPO;
// Error(usage) without one): restore runs, imports, the restore lock and 2FA
// state live there, whatever the store.
catalog::Repository journal_repository(const cli::CommonOptions& common, catalog::OpenIntent intent);

}  // namespace crm::restore_app
