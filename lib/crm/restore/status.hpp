#pragma once
// `crm-restore status`: is a restore of this store running, and how did the
// last one end, from the journal.

#include <crm/base/clock.hpp>
#include <crm/catalog/journal.hpp>
#include <crm/restore/history.hpp>
#include <crm/store/store.hpp>

#include <optional>
#include <string>

namespace crm::restore {

struct RestoreStatus {
  bool is_running = false;
  // "none" (no restore ever ran here), "planned" (a plan made, not applied
  // yet), "running", "completed", "partly
  // applied" (apply the same plan again to continue), "failed", or
  // "interrupted" (the process died and the store cannot tell how far it got).
  std::string outcome = "none";
  std::optional<catalog::RestoreRun> last_run;
  std::optional<RestoreImport> last_import;  // the newest restore import
};

// Settles a run that a dead process left "applying" (applier.hpp) when the
// journal is writable.
RestoreStatus restore_status(store::Store& store, catalog::Journal& journal, bool is_journal_writable,
                             const Clock& clock);

}  // namespace crm::restore
