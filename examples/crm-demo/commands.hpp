#pragma once
// crm-demo's subcommands, one file each: each declares its options and
// returns what runs when the command line chose it.

#include <crm/cli/main.hpp>

#include <CLI/CLI.hpp>

namespace crm::demo {

crm::cli::Subcommand add_init(CLI::App& app);
crm::cli::Subcommand add_mutate(CLI::App& app);
crm::cli::Subcommand add_show(CLI::App& app);

}  // namespace crm::demo
