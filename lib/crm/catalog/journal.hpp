#pragma once
// The journal: what the tool itself remembers about the CRM it serves, kept
// in the backup repository's catalog (0600) and the same for every store
// backend (SPEC §4, docs/repository.md): restore runs and their states (an
// applied run is the import "Data Restore - <Object>", its id the import id),
// the records a run could not write, audit entries, notifications of backups
// and restores, two-factor enrollments for backends that cannot verify a
// second factor, the TOTP replay guard and the failed-code lockout, and the
// restore lock. Everything is keyed by the store's identity
// (store::Account::store_id), never by a path.

#include <crm/base/clock.hpp>
#include <crm/base/file_lock.hpp>
#include <crm/sql/database.hpp>
#include <crm/store/model.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::catalog {

// planned -> applying -> applied | partly_applied | failed. A run left in
// "applying" by a process that died is resumed by the next apply of the same
// plan; a "partly_applied" one too (the records that failed are tried again).
enum class RunState { planned, applying, applied, partly_applied, failed };
std::string_view to_string(RunState state);
RunState parse_run_state(std::string_view text);

struct RestoreRun {
  std::int64_t id = 0;  // the import id once the run applied anything
  std::string store_id;
  std::string user;
  std::string object_name;     // "deals"
  std::string object_type_id;  // "0-3"
  std::string import_name;     // "Data Restore - Deal"
  std::string plan;            // the plan file's absolute path
  std::string plan_hash;
  std::string undo_file;    // absolute path; durable before the first write
  std::string undo_sha256;  // what undo checks the file against
  RunState state = RunState::applying;
  UnixTime started_at = 0;
  UnixTime finished_at = 0;
  std::int64_t records_total = 0;    // changes in the plan
  std::int64_t records_written = 0;  // committed so far
  std::int64_t records_failed = 0;   // rejected or not found
  std::int64_t values_set = 0;
  std::int64_t values_cleared = 0;
  std::int64_t undo_of_import = 0;  // when the plan undoes an earlier restore
  std::string details_json;         // backup id, properties, plan and undo files
  std::string error;                // the one-line message of a failed run
};

struct RecordFailure {
  store::RecordId id = 0;
  std::string outcome;  // "not_found", "rejected"
  std::string reason;   // the backend's words
};

// A user's second factor as the journal keeps it.
struct SecondFactor {
  std::string secret;  // base32; empty when the user is not enrolled here
  UnixTime enrolled_at = 0;
  std::int64_t last_step = -1;  // replay guard: the newest 30 s step used
  int failed_attempts = 0;      // wrong codes in a row
  UnixTime locked_until = 0;    // restores refused for the user before this
};

class Journal {
public:
  // Opens the journal of the repository in `directory` (its catalog must
  // exist; Repository::open makes and upgrades it). Read-only: reads only.
  Journal(const std::filesystem::path& directory, sql::OpenMode mode);

  // --- restore runs ---------------------------------------------------------
  // Inserts `run` and returns its id.
  std::int64_t add_run(const RestoreRun& run);
  void update_run(const RestoreRun& run);
  std::optional<RestoreRun> find_run(std::int64_t id);
  // The newest run of `plan_hash` on `store_id` that is planned, applying or
  // partly applied: the one a new apply of that plan continues.
  std::optional<RestoreRun> unfinished_run(std::string_view store_id, std::string_view plan_hash);
  // Newest first; `store_id` empty: every store's.
  std::vector<RestoreRun> runs(std::string_view store_id);
  // Records that batch's outcome and the run's progress in one transaction.
  void record_batch(const RestoreRun& run, const std::vector<RecordFailure>& failures);
  std::vector<RecordFailure> failures(std::int64_t run_id);
  // Forgets a run's failures when it is continued: those records are tried again.
  void clear_failures(std::int64_t run_id);

  // --- audit and notifications ----------------------------------------------
  void add_audit(std::string_view store_id, const store::AuditEntry& entry);
  std::vector<store::AuditEntry> audit_log();  // newest first
  void add_notification(std::string_view store_id, const store::Notification& notification);
  std::vector<store::Notification> notifications();  // newest first

  // --- second factor --------------------------------------------------------
  SecondFactor second_factor(std::string_view store_id, std::string_view user);
  void enroll(std::string_view store_id, std::string_view user, std::string_view secret, UnixTime at);
  // False when the user was not enrolled.
  bool remove_enrollment(std::string_view store_id, std::string_view user);
  // Compare-and-set: takes `step` when it is newer than every step the user
  // used before (and clears the failed-code count); false on a replay.
  bool use_totp_step(std::string_view store_id, std::string_view user, std::int64_t step);
  // Counts a wrong code; the k_max_failed_codes-th in a row locks restores for
  // the user until `at` + k_lockout_seconds. Returns the state after it.
  SecondFactor record_failed_code(std::string_view store_id, std::string_view user, UnixTime at);

  // --- the restore lock -----------------------------------------------------
  // Held for a whole apply. A file lock (the kernel frees it when the process
  // dies) in the repository, named after the store's identity.
  // Error(temp_fail) when another apply on the same store holds it.
  FileLock lock_restores(std::string_view store_id) const;
  // True while an apply on the store holds the lock. Only looks
  // (FileLock::is_held): never takes the lock, so asking cannot make a
  // concurrent apply fail with 75.
  bool is_restore_running(std::string_view store_id) const;

  static constexpr int k_max_failed_codes = 5;
  static constexpr UnixTime k_lockout_seconds = 15 * 60;

  // The audit log and the notifications are rows of one shape: store, time,
  // user, what happened, and its text.
  struct EntryTable {
    std::string_view name;
    std::string_view what_column;  // action, kind
    std::string_view text_column;  // details_json, message
  };

private:
  void add_entry(const EntryTable& table, std::string_view store_id, UnixTime at, std::string_view user,
                 std::string_view what, std::string_view text);
  template <typename Entry> std::vector<Entry> entries(const EntryTable& table);
  // The user's second_factors row, made empty (not enrolled, no step used)
  // when missing, so that the guard and the count have a row to update.
  void add_second_factor_row(std::string_view store_id, std::string_view user);
  std::filesystem::path restore_lock_path(std::string_view store_id) const;
  bool has_journal();

  std::filesystem::path m_directory;
  sql::Database m_db;
};

}  // namespace crm::catalog
