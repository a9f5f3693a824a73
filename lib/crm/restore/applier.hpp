#pragma once
// Applies a reviewed plan file to the store: all of it in one write
// transaction, or nothing.
//
// Before anything is written: the file's SHA-256 must equal the hash the
// user confirmed (else Error(data)); the file must be a well-formed plan
// (Error(data)) made against this store (Error(data)); the user must be a
// super admin who gave both acknowledgements (Error(no_permission)); no other
// restore may be running (Error(temp_fail)). Then, in ONE write transaction
// (BEGIN IMMEDIATE): the user re-authenticates with a TOTP code unless they
// signed in with SSO (Error(no_permission); the code's step is recorded in
// this transaction, so a committed restore's code can never be replayed and a
// rolled-back one does not burn it); every record the plan touches must still hold the values the plan was made
// against (else Error(temp_fail) and nothing is written); the values are
// written; the completed import "Data Restore - <Object>", an audit row, the
// workflow enrollments and a notification are added; the undo file (the
// values the records had before) is made durable beside the plan; and only
// then is the transaction committed. So a committed restore always has its
// undo file, and a kill -9 at any instant leaves the store as before or as
// after; a leftover undo file of a rolled-back apply names no import and is
// harmless.

#include <crm/base/clock.hpp>
#include <crm/base/progress.hpp>
#include <crm/restore/plan.hpp>
#include <crm/store/store.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace crm::restore {

struct ApplyRequest {
  std::filesystem::path plan;
  std::string confirm_hash;
  std::string user;
  std::optional<std::string> otp_code;  // not needed for an SSO user
  bool is_data_change_acknowledged = false;
  bool is_irreversible_acknowledged = false;
  std::filesystem::path store_path;  // the restore lock and status live beside it
};

struct ApplyResult {
  std::int64_t import_id = 0;
  std::string plan_hash;
  PlanHeader header;
  PlanSummary summary;
  std::filesystem::path undo_file;
  std::int64_t enrollments = 0;
};

// Checks the plan file against `confirm_hash` and reads it through once;
// returns its header and summary. Error(data) on any mismatch or damage.
struct CheckedPlan {
  std::string sha256;
  PlanHeader header;
  PlanSummary summary;
};
CheckedPlan check_plan(const std::filesystem::path& plan, std::string_view confirm_hash);

ApplyResult apply_plan(store::Store& store, const ApplyRequest& request, const Clock& clock,
                       const ProgressFn& progress = {});

}  // namespace crm::restore
