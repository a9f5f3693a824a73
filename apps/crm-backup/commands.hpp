#pragma once
// The subcommands of crm-backup, one file each. Each add_<name>() declares
// the subcommand's options on `app` and returns it with the function that
// runs it once parsed.

#include <crm/catalog/repository.hpp>
#include <crm/cli/main.hpp>
#include <crm/cli/options.hpp>
#include <crm/cli/secret_input.hpp>

#include <CLI/CLI.hpp>

namespace crm::backup_app {

crm::cli::Subcommand add_create(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_list(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_show(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_download(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_export(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_verify(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_diff(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_prune(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_config(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_remote(CLI::App& app, const crm::cli::CommonOptions& common);

}  // namespace crm::backup_app
