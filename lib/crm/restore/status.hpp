#pragma once
// `crm-restore status`: is a restore running, and how did the last one end.

#include <crm/restore/history.hpp>
#include <crm/restore/run_state.hpp>
#include <crm/store/store.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace crm::restore {

struct RestoreStatus {
  bool is_running = false;
  // "none" (no restore ever ran here), "running", "completed", "failed", or
  // "interrupted" (the process died before committing: nothing was written).
  std::string outcome = "none";
  std::optional<RunRecord> last_run;
  std::optional<RestoreImport> last_import;  // the newest restore recorded in the store
};

RestoreStatus restore_status(store::Store& store, const std::filesystem::path& store_path);

}  // namespace crm::restore
