#pragma once
// Makes a restore plan: compares one object's records in a backup with the
// live store and writes what would change to a plan file.
//
// The comparison is a merge join on hs_object_id of three id-ordered
// streams: the backup's records, the live records (read on a second thread
// through a ScanCursor) and, for the records that are gone, the recycle bin.
// Nothing is loaded whole: memory stays at a few batches of rows whatever the
// size of the object, and the plan is written to disk as it is computed.
//
// Everything live is read through one store Reader, so the plan shows one
// instant of the store.

#include <crm/base/clock.hpp>
#include <crm/base/progress.hpp>
#include <crm/restore/backup_source.hpp>
#include <crm/restore/plan.hpp>
#include <crm/store/store.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace crm::restore {

struct PlanRequest {
  std::string user;                     // the acting user: must be a super admin
  std::string object;                   // name ("deals") or objectTypeId ("0-3")
  std::vector<std::string> properties;  // ignored when is_all_properties
  bool is_all_properties = false;
  std::filesystem::path output;  // the plan file to write (0600)
};

struct PlanResult {
  std::filesystem::path path;
  std::string sha256;  // the plan's hash: what apply --confirm wants
  PlanHeader header;
  PlanSummary summary;
  std::vector<store::RecordId> deleted_sample;  // the first deleted ids, for the printed summary
};

// Throws Error(no_permission) for a user who is not a super admin,
// Error(usage) for an object that cannot be restored or properties none of
// which can be, Error(not_found) when the backup does not hold the object,
// Error(data) for a backup of another store. Nothing is written then.
PlanResult make_plan(store::Store& store, BackupSource& backup, const PlanRequest& request, const Clock& clock,
                     const ProgressFn& progress = {});

// The workflows a change of `properties` on records of `type_id` may
// re-enroll: enabled, allowing re-enrollment, triggering on one of them.
// Their trigger_properties are narrowed to `properties`; records is 0.
std::vector<WorkflowWarning> reenrolling_workflows(const std::vector<store::Workflow>& workflows,
                                                   std::string_view type_id,
                                                   const std::vector<std::string>& properties);

// Resolves the object a restore is about; Error(usage) when the account has
// no such object or it cannot be restored (conversations).
store::ObjectType restorable_object_type(store::Reader& reader, std::string_view name_or_id);

}  // namespace crm::restore
