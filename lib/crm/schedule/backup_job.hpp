#pragma once
// What a due slot sets off, behind an interface: run() decides *whether* to
// back up (slots, retries, locks, state); a BackupJob does it. The binary
// uses snapshot_job() (snapshot::create into the repository, notify on
// failure); tests can drive run() over a simulated year with a job of their
// own.

#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>

#include <optional>
#include <string>

namespace crm::schedule {

// One scheduled backup to make.
struct BackupRequest {
  std::string user;  // who enabled the schedule: the backup runs as them
  UnixTime slot = 0;
  // Set: the backup is AES-256 encrypted with it (the schedule's passphrase,
  // read by run(), wiped when the job returns).
  std::optional<std::string> passphrase;
  // The backup's catalog note (slot_note): how a later run recognises the
  // backup of a slot whose run was killed before it recorded the outcome.
  std::string note;
};

// The catalog note of the backup made for `slot`.
inline std::string slot_note(UnixTime slot) { return "scheduled for " + format_iso8601(slot); }

struct MadeBackup {
  std::string id;
  UnixTime created_at = 0;
};

class BackupJob {
public:
  virtual ~BackupJob() = default;

  // Makes one full backup as request.user into the repository, notifying
  // that it is ready. Throws crm::Error like snapshot::create: no_permission
  // when the user is no longer a super admin or the plan lacks scheduled
  // backups, temp_fail when the repository is locked or the plan's frequency
  // limit refuses, not_found/unavailable when the store cannot be reached, and
  // so on. It never notifies a failure itself: run() does, once per slot,
  // through notify_failure.
  virtual MadeBackup make_backup(const BackupRequest& request, const Clock& clock) = 0;

  // Tells `user` that the scheduled backup for `slot` failed with `error`
  // (notification row where the store can be reached, the notify command).
  // The only notification of a failed scheduled backup. Prints nothing on
  // stderr: the caller reports the error there. Never throws.
  virtual void notify_failure(const std::string& user, UnixTime slot, const Error& error, UnixTime now) = 0;
};

}  // namespace crm::schedule
