#pragma once
// `crm-restore undo IMPORT_ID`: a plan that puts back the values a restore
// overwrote, read from the undo file that restore wrote. It is an ordinary
// plan, made against the store as it is now and applied with apply (same
// hash, acknowledgements, 2FA and drift checks): records changed since the
// restore show up with their current values as "before", records deleted
// since are listed and left alone, and records whose values are already back
// are unchanged.

#include <crm/base/clock.hpp>
#include <crm/base/progress.hpp>
#include <crm/catalog/journal.hpp>
#include <crm/restore/planner.hpp>
#include <crm/store/store.hpp>

#include <filesystem>
#include <string>

namespace crm::restore {

struct UndoRequest {
  std::string user;  // must be a super admin
  std::int64_t import_id = 0;
  std::filesystem::path output;
};

// Error(not_found) when the journal has no such restore of this store or its
// undo file is gone; Error(data) when the undo file is damaged, is not the
// one the restore wrote (its SHA-256 is in the journal) or belongs to
// another store.
PlanResult make_undo_plan(store::Store& store, catalog::Journal& journal, const UndoRequest& request,
                          const Clock& clock, const ProgressFn& progress = {});

}  // namespace crm::restore
