#pragma once
// Makes a backup (SPEC §1, §2, §5, §6): one consistent snapshot of every
// record of the chosen object types, written as one zip into a backup
// repository and published atomically.
//
// In order: the acting user must be a super admin (else Error(no_permission)
// and nothing is written, not even the repository); the repository's writer
// lock is taken (held: Error(temp_fail)); the account's plan tier must allow
// another backup now (else Error(temp_fail) saying when); then one store
// Reader -- one read transaction, one instant -- streams each object's rows,
// ordered by hs_object_id, into `<name>.csv`, and manifest.json goes last.
// Only a complete archive is published; on any failure the temporary file is
// removed and no catalog row is added.
//
// The snapshot time is the clock's time at the start; it is every entry's
// time in the zip and the backup's created_at, so the same store state gives
// a byte-identical zip (unless encrypted: AES salts are random).

#include <crm/base/clock.hpp>
#include <crm/base/progress.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/notify/notifier.hpp>
#include <crm/store/store.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crm::snapshot {

// Who tells the user that a backup failed once its archive was begun. A
// failure is notified once, by whoever owns the job: create itself for a
// backup someone asked for ("backup.failed"), or a caller that makes backups
// as part of a larger job and notifies that job's failures (the schedule:
// "schedule.failed", once per slot however often it is retried). Failures
// before the archive is begun (not a super admin, a lock held, the frequency
// limit) are never notified by create: the caller sees the error.
enum class FailureNotice { by_create, by_caller };

struct CreateOptions {
  // Object type names or objectTypeIds; empty: every object type.
  std::vector<std::string> objects;
  bool is_sensitive_excluded = false;      // leave sensitive and highly sensitive properties out
  std::optional<SecretString> passphrase;  // set: AES-256 encrypted entries; wiped with the options
  std::string note;                        // kept in the catalog
  int compression_level = 6;               // deflate 1..9 (0 stores)
  // Compressing threads; 0: one per core. The archive's bytes do not depend
  // on it, so the manifest does not record it (nor the level).
  std::size_t threads = 0;
  // Receives the lines meant for stderr (the "backup ... ready" line and
  // warnings); empty: they are dropped.
  notify::LineFn print_line;
  FailureNotice failure_notice = FailureNotice::by_create;
  // Read the archive back with verify() before publishing it, and record it
  // as verified: a scheduled run reports only a backup it checked. One more
  // read of the archive.
  bool is_verified_before_ready = false;
};

struct CreateResult {
  std::string id;
  std::filesystem::path archive;
  UnixTime created_at = 0;
  UnixTime expires_at = 0;  // end of the download window
  std::uint64_t size_bytes = 0;
  std::string sha256;  // of the archive file
  bool is_encrypted = false;
  bool is_sensitive_excluded = false;
  // Every backed-up object type's name and its record count, in manifest order.
  std::vector<std::pair<std::string, std::int64_t>> objects;
  // What the store would not let the backup read, with its reasons.
  std::vector<store::Gap> skipped;
  // False when the store has no snapshot (HubSpot's API): then
  // modified_during_backup counts the records changed while it ran.
  bool is_consistent_snapshot = true;
  std::int64_t modified_during_backup = 0;
};

CreateResult create(store::Store& store, const std::filesystem::path& repository, std::string_view user,
                    const CreateOptions& options, const Clock& clock, const ProgressFn& progress = {});

// The shortest time between two backups that `tier` allows, in seconds.
std::int64_t minimum_backup_interval(store::PlanTier tier);

}  // namespace crm::snapshot
