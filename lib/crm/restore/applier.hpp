#pragma once
// Applies a reviewed plan to the CRM through the store port, keeping its
// bookkeeping in the journal (SPEC §1, §4, §8; docs/restore-plan-format.md).
//
// Before anything is written: the plan is read once into a private copy whose
// SHA-256 must equal the confirmed hash (else Error(data)); it must be a
// well-formed plan made against this store (Error(data)); the user must be a
// super admin who gave both acknowledgements (Error(no_permission)); no other
// restore of this store may be running (Error(temp_fail)); the user passes
// the two-factor check (auth/reauth.hpp). Every record the plan changes must
// still hold the values the plan was made against (else Error(temp_fail) and
// nothing is written). Then:
//   1. the run is recorded in the journal as "applying", and the undo file
//      (the values the records have now) is written beside the plan and made
//      durable, its hash recorded: a run that wrote anything has its undo;
//   2. the values are written in batches of store::k_max_update_batch. On an
//      atomic backend all of them, with the CRM's own import, audit row,
//      workflow enrollments and notification, commit together or not at all
//      (kill -9 anywhere: the store exactly before or after). On a
//      batch-by-batch backend each batch commits on its own and the journal
//      records the progress after each; records the backend refuses are
//      recorded with its reason and the run ends "partly_applied";
//   3. the journal marks the run applied (its id is the import id of
//      "Data Restore - <Object>"), adds the audit entry and the notification,
//      and the notify command runs.
// A run left "applying" by a kill is settled first by the next apply of the
// same plan or by status: on an atomic backend it either committed (applied)
// or wrote nothing (failed); on a batch-by-batch backend the next apply
// continues it, skipping the records already written, never writing one twice.

#include <crm/base/clock.hpp>
#include <crm/base/progress.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/catalog/journal.hpp>
#include <crm/restore/plan.hpp>
#include <crm/restore/planner.hpp>
#include <crm/store/store.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace crm::restore {

struct ApplyRequest {
  std::filesystem::path plan;
  std::string confirm_hash;
  std::string user;
  std::optional<SecretString> otp_code;  // not needed for an SSO user; wiped with the request
  bool is_data_change_acknowledged = false;
  bool is_irreversible_acknowledged = false;
  std::string notify_command;  // run when the restore is done; "" for none
};

struct ApplyResult {
  std::int64_t import_id = 0;
  std::string plan_hash;
  PlanHeader header;
  PlanSummary summary;
  std::filesystem::path undo_file;
  std::int64_t enrollments = 0;
  std::int64_t records_written = 0;    // by this apply (a continued run counts only its own)
  std::int64_t records_failed = 0;     // refused by the backend: the run is partly applied
  bool is_continued = false;           // it continued an interrupted run
  bool is_nothing_to_restore = false;  // the plan changes no record: nothing was done, import_id is 0
};

// Records a plan just written as a "planned" run in the journal; its apply
// then continues that row.
void record_planned(catalog::Journal& journal, const PlanResult& plan, const std::string& user, const Clock& clock);

ApplyResult apply_plan(store::Store& store, catalog::Journal& journal, const ApplyRequest& request, const Clock& clock,
                       const ProgressFn& progress = {});

// Brings the journal's record of an interrupted run (state "applying", its
// process gone) in line with the store: applied when every change is in the
// store, failed when none is, partly_applied otherwise. Returns the run as
// settled. Call it with the restore lock held, or from status.
// The error a settled run that wrote nothing carries; status calls it "interrupted".
constexpr std::string_view k_interrupted_before_writing = "interrupted before anything was written";
catalog::RestoreRun settle_interrupted_run(store::Store& store, catalog::Journal& journal, catalog::RestoreRun run,
                                           const Clock& clock);

}  // namespace crm::restore
