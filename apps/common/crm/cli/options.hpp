#pragma once
// Options every binary shares, with their environment fallbacks.

#include <crm/store/store.hpp>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace crm::cli {

struct CommonOptions {
  std::string store;     // --store / CRM_STORE
  std::string repo;      // --repo / CRM_BACKUP_REPO
  std::string user;      // --as / CRM_USER
  bool is_json = false;  // --json
};

// Adds --store, --repo, --as and --json to `app` (inherited by subcommands
// through option groups on the app itself).
void add_common_options(CLI::App& app, CommonOptions& options);

// Adds --version printing "<program> <version>".
void add_version_flag(CLI::App& app, std::string_view program);

// The store locator (a path, or "hubspot:"); Error(usage) when neither
// --store nor CRM_STORE is set.
std::string require_store(const CommonOptions& options);
// The repository path; Error(usage) when neither --repo nor CRM_BACKUP_REPO is set.
std::filesystem::path require_repo(const CommonOptions& options);
// The acting user; Error(usage) when neither --as nor CRM_USER is set.
const std::string& require_user(const CommonOptions& options);

// Opens the store the options name (require_store), with the settings of the
// repository --repo names when it exists: what a backend's API cannot tell
// (docs/hubspot.md).
std::unique_ptr<store::Store> open_store(const CommonOptions& options, store::Access access);

}  // namespace crm::cli
