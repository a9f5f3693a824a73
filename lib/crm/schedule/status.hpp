#pragma once
// `crm-schedule status` and `crm-schedule check`: what the schedule is, what
// it did last, and how old the newest backup is. Reads the repository only;
// neither needs the store.

#include <crm/base/clock.hpp>
#include <crm/catalog/backup_record.hpp>
#include <crm/catalog/schedule_record.hpp>
#include <crm/schedule/encryption.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace crm::schedule {

struct ScheduleStatus {
  std::optional<catalog::ScheduleRecord> record;  // none: never enabled
  std::string description;                        // "every week on Monday at 02:00 (UTC)"
  std::optional<UnixTime> next_run;               // when run will next back up; now when a slot is due
  bool is_due = false;                            // a slot is waiting (first run, or a retry)
  // Set when scheduled backups are encrypted: where the passphrase is read
  // from in this environment (encryption.hpp), and what would stop that now
  // ("" when nothing). Never the passphrase.
  std::optional<PassphraseSource> passphrase;
  std::string passphrase_problem;
  // The newest backup in the repository, scheduled or not, that verify has
  // not found damaged.
  std::optional<catalog::BackupRecord> last_backup;
  std::int64_t last_backup_age = 0;  // seconds
};

ScheduleStatus status(const std::filesystem::path& repository, const Clock& clock);

struct FreshnessCheck {
  std::optional<catalog::BackupRecord> newest;  // none: no backup at all
  std::int64_t age = 0;                         // seconds since newest was made
  std::int64_t max_age = 0;
  bool is_fresh = false;  // newest exists and age < max_age
};

// For monitoring (`crm-schedule check --max-age`): is the newest backup
// younger than `max_age` seconds? `newest` is the newest whatever verify
// found (its state says): a damaged newest backup is the caller's to report,
// not hidden behind an older one. Does not throw for a stale one; a missing
// repository is Error(not_found).
FreshnessCheck check_freshness(const std::filesystem::path& repository, std::int64_t max_age, const Clock& clock);

// The same for the newest backup copied (and checked) to remote `remote`
// (`crm-schedule check --remote`); no such remote: Error(not_found).
FreshnessCheck check_remote_freshness(const std::filesystem::path& repository, std::string_view remote,
                                      std::int64_t max_age, const Clock& clock);

}  // namespace crm::schedule
