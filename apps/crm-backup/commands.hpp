#pragma once
// The subcommands of crm-backup, one file each. Each add_<name>() declares
// the subcommand's options on `app` and returns it with the function that
// runs it once parsed.

#include <crm/catalog/repository.hpp>
#include <crm/cli/main.hpp>
#include <crm/cli/options.hpp>
#include <crm/cli/secret_input.hpp>
#include <crm/offsite/fetch.hpp>

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace crm::backup_app {

crm::cli::Subcommand add_create(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_list(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_show(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_download(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_verify(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_diff(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_prune(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_config(CLI::App& app, const crm::cli::CommonOptions& common);
crm::cli::Subcommand add_remote(CLI::App& app, const crm::cli::CommonOptions& common);

// Helpers the subcommands share (backup_source.cpp).

// The archive `id_or_file` names: a file as it is, or a backup id in the
// repository (which must be given) whose archive matches its recorded SHA-256,
// fetched from a remote when the repository no longer holds it
// (offsite/fetch.hpp); keep the result while its path is read.
crm::offsite::ResolvedArchive archive_for(const crm::cli::CommonOptions& common, const std::string& id_or_file);

// The passphrase for reading archives, when one was given; reading an
// encrypted archive without it fails later with a clear message.
std::optional<crm::SecretString> optional_passphrase(const crm::cli::SecretSource& source);

}  // namespace crm::backup_app
