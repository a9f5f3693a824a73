#include <crm/restore/status.hpp>

namespace crm::restore {

RestoreStatus restore_status(store::Store& store, const std::filesystem::path& store_path)
{
  const RunState state(store_path);
  RestoreStatus status;
  status.is_running = state.is_running();
  status.last_run = state.read();
  auto reader = store.read();
  const auto history = restore_history(*reader);
  if (!history.empty())
    status.last_import = history.front();
  if (status.is_running) {
    status.outcome = "running";
  } else if (status.last_run) {
    status.outcome = status.last_run->state;
    if (status.outcome == "running") {
      // The run died (kill -9, power loss) after taking the lock. The store
      // alone knows whether it committed: its import carries the run id.
      status.outcome = "interrupted";
      for (const auto& restore : history)
        if (restore.run_id == status.last_run->run_id) {
          status.outcome = "completed";
          status.last_run->import_id = restore.import.id;
          break;
        }
    }
  } else if (status.last_import) {
    status.outcome = "completed";
  }
  return status;
}

}  // namespace crm::restore
