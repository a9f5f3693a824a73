#include "crm/schedule/run.hpp"

#include <crm/base/error.hpp>
#include <crm/base/file_lock.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/catalog/prune.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/schedule/configuration.hpp>
#include <crm/schedule/encryption.hpp>
#include <crm/schedule/stored_schedule.hpp>

#include <fmt/format.h>

namespace crm::schedule {

namespace {

// The state fields only, written onto a fresh read of the row, so that an
// `enable` or `disable` that ran meanwhile keeps its configuration.
void record_outcome(catalog::Repository& repository, UnixTime slot, UnixTime now, const std::string& outcome)
{
  catalog::ScheduleRecord record = repository.schedule().get().value_or(catalog::ScheduleRecord{});
  record.last_run_at = now;
  record.last_attempted_slot = slot;
  record.last_outcome = outcome;
  repository.schedule().set(record);
}

std::string retry_hint(const Error& error, std::string_view retry)
{
  return error.hint().empty() ? std::string(retry) : fmt::format("{}; {}", error.hint(), retry);
}

void prune_expired(catalog::Repository& repository, UnixTime now, RunReport& report)
{
  try {
    repository.acquire_writer_lock();
    for (const catalog::PruneDecision& decision : catalog::prune(repository, keep_rules(repository), now, false)) {
      if (decision.action == catalog::PruneAction::remove)
        report.pruned.push_back(decision.record.id);
    }
  } catch (const Error& error) {
    report.warnings.push_back(
        fmt::format("expired backups not pruned: {} (the next scheduled backup prunes them)", error.what()));
  }
}

// The backup a run made for `slot`, if one is in the catalog: a run killed
// after publishing it but before recording the outcome leaves the slot
// looking due, and a second backup would be refused by the plan's frequency
// limit (or, a day later, be one too many).
std::optional<catalog::BackupRecord> published_for(catalog::Repository& repository, UnixTime slot)
{
  const std::string note = slot_note(slot);
  for (catalog::BackupRecord& record : repository.list())
    if (record.note == note && record.state != catalog::BackupState::damaged && record.created_at >= slot)
      return std::move(record);
  return std::nullopt;
}

}  // namespace

RunReport run(const std::filesystem::path& directory, BackupJob& job, const Clock& clock)
{
  RunReport report;
  catalog::Repository repository = catalog::Repository::open(directory, catalog::OpenIntent::write);
  const std::optional<catalog::ScheduleRecord> configured = repository.schedule().get();
  if (!configured || !configured->is_enabled) {
    report.outcome = RunOutcome::disabled;
    report.message = "nothing due: no backup schedule is enabled";
    return report;
  }

  const std::optional<FileLock> run_lock = FileLock::try_acquire(directory / k_schedule_lock_name);
  if (!run_lock) {
    report.outcome = RunOutcome::busy;
    report.message = "nothing to do: another crm-schedule run is handling the schedule";
    return report;
  }

  const catalog::ScheduleRecord record = repository.schedule().get().value_or(catalog::ScheduleRecord{});
  const UnixTime now = clock.now();
  report.time_zone = record.time_zone;
  if (!record.is_enabled) {
    report.outcome = RunOutcome::disabled;
    report.message = "nothing due: no backup schedule is enabled";
    return report;
  }
  const Cadence cadence = cadence_of(record);
  report.next_slot = next_slot_after(cadence, now);
  const std::optional<UnixTime> slot = due_slot_of(record, now);
  if (!slot) {
    report.outcome = RunOutcome::nothing_due;
    report.message = fmt::format("nothing due: next backup at {}", format_in_zone(*report.next_slot, record.time_zone));
    return report;
  }

  report.slot = slot;
  const std::string slot_text = format_in_zone(*slot, record.time_zone);
  MadeBackup made;
  BackupRequest request{record.user, *slot, std::nullopt, slot_note(*slot)};
  const WipedOnExit wiped(request.passphrase);
  if (const std::optional<catalog::BackupRecord> published = published_for(repository, *slot)) {
    report.outcome = RunOutcome::backed_up;
    report.backup_id = published->id;
    record_outcome(repository, *slot, now, fmt::format("{}: backup {}", k_outcome_ok, published->id));
    report.message = fmt::format("backup {} was made for the slot at {} by an interrupted run; next backup at {}",
                                 published->id, slot_text, format_in_zone(*report.next_slot, record.time_zone));
    return report;
  }
  try {
    // Read only now that a slot is due: a missing passphrase file fails this
    // slot (and is retried), not every quiet run.
    if (const std::optional<std::filesystem::path> file = passphrase_file(repository))
      request.passphrase = read_passphrase(passphrase_source(*file));
    made = job.make_backup(request, clock);
  } catch (const Error& error) {
    // Only a full backup ends a slot: record why this one did not, so that
    // the next run tries the slot again and status can tell.
    const bool is_later = error.kind() == ErrorKind::temp_fail;
    const bool was_failing = record.last_attempted_slot == slot && is_failed(record.last_outcome);
    try {
      record_outcome(repository, *slot, now,
                     fmt::format("{} (exit {}): {}", is_later ? k_outcome_deferred : k_outcome_failed,
                                 exit_code(error.kind()), error.line()));
    } catch (const Error&) {
      // Unrecorded, the slot is still due: the next run retries it all the same,
      // and the error below is the one worth reporting.
    }
    if (!is_later && !was_failing)
      job.notify_failure(record.user, *slot, error, now);
    if (is_later)
      throw Error(error.kind(), fmt::format("scheduled backup for {} deferred: {}", slot_text, error.what()),
                  retry_hint(error, "a later run makes it"));
    throw Error(error.kind(), fmt::format("scheduled backup for {} failed: {}", slot_text, error.what()),
                retry_hint(error, "the next run retries it"));
  }
  report.outcome = RunOutcome::backed_up;
  report.backup_id = made.id;
  record_outcome(repository, *slot, now, fmt::format("{}: backup {}", k_outcome_ok, made.id));

  prune_expired(repository, now, report);
  report.message = fmt::format("backup {} made for the slot at {}; next backup at {}", report.backup_id, slot_text,
                               format_in_zone(*report.next_slot, record.time_zone));
  return report;
}

}  // namespace crm::schedule
