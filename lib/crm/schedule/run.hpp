#pragma once
// `crm-schedule run`: what cron or a systemd timer calls, as often as it likes.
//
// One run, in order:
//  1. Opens the repository (none there: Error(not_found)). No schedule, or a
//     disabled one: nothing to do.
//  2. Takes the schedule lock (`schedule.lock` in the repository) without
//     waiting. Held: another run is handling the slot; this one does nothing
//     and reports Outcome::busy (exit 0), so two runs at once make one backup.
//  3. Re-reads the schedule under the lock and asks the cadence for the
//     newest slot after the one last handled (stored_schedule.hpp). A machine
//     that was off for a month finds one due slot, the newest: it catches up
//     once. No slot: nothing due. A slot whose backup is already in the
//     catalog (its note is slot_note(slot): a run killed between publishing
//     the backup and recording the outcome) is recorded as done with that
//     backup, not made twice; the notification that run did not get to
//     send is not sent again.
//  4. Reads the passphrase when the schedule encrypts (encryption.hpp: the
//     systemd credential, else the schedule's file; a missing or unusable
//     one is a failed slot, Error(config)), then makes the backup through the
//     BackupJob as the user who enabled the schedule; the job enforces super
//     admin, plan tier and the plan's frequency limit, and notifies that the
//     backup is ready.
//  5. Records the outcome in the schedule row, then prunes: backups past the
//     download window that the schedule's keep rules do not hold are removed.
//     A prune that cannot run now (repository locked) is a warning; the next
//     backup prunes.
// A backup that fails is recorded and thrown as an Error of the same kind,
// saying which slot failed and that the next run retries it. Failures other
// than "try again later" (temp_fail: a lock held, the frequency limit) are
// notified once per slot, not at every retry, and by run() alone: the job
// leaves failures to it (BackupJob::make_backup), so a backup that fails
// half-way is not notified twice.

#include <crm/base/clock.hpp>
#include <crm/schedule/backup_job.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace crm::schedule {

enum class RunOutcome {
  disabled,     // no schedule, or disabled
  busy,         // another run holds the schedule lock
  nothing_due,  // no slot due
  backed_up,    // the due slot's backup was made
};

struct RunReport {
  RunOutcome outcome = RunOutcome::nothing_due;
  std::optional<UnixTime> slot;       // the slot handled (backed_up)
  std::optional<UnixTime> next_slot;  // the next slot after now, when enabled
  std::string time_zone;              // the schedule's, for showing times
  std::string backup_id;              // backed_up: the new backup
  std::vector<std::string> pruned;    // ids of the backups pruned
  std::vector<std::string> warnings;  // what went wrong without failing the run
  std::string message;                // one line saying what happened
};

// The name of the schedule lock file in the repository.
constexpr std::string_view k_schedule_lock_name = "schedule.lock";

RunReport run(const std::filesystem::path& repository, BackupJob& job, const Clock& clock);

}  // namespace crm::schedule
