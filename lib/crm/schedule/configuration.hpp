#pragma once
// `crm-schedule enable` and `disable`: the schedule's configuration, stored
// in the backup repository's schedule row (catalog::ScheduleRecord) and its
// keep rules in the repository's settings.
//
// Only a super admin changes the schedule, and only an enterprise account
// can enable one (SPEC §1): both are checked against the store. The user who
// enables the schedule is stored with it: scheduled backups run as them, and
// they must still be a super admin when each runs.

#include <crm/base/clock.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/catalog/retention.hpp>
#include <crm/catalog/schedule_record.hpp>
#include <crm/schedule/cadence.hpp>
#include <crm/schedule/encryption.hpp>
#include <crm/store/store.hpp>

#include <filesystem>
#include <optional>
#include <string_view>

namespace crm::schedule {

struct EnableRequest {
  int every_weeks = 1;  // 1 or 2
  Weekday weekday = Weekday::monday;
  TimeOfDay at{2, 0};
  std::string time_zone = "UTC";
  // Keep rules scheduled runs prune with, on top of the download window;
  // unset: leave the stored ones.
  std::optional<catalog::KeepRules> keep;
  // Encryption of scheduled backups (encryption.hpp): unset leaves it as it
  // is; a path turns it on with the passphrase in that file (its absolute
  // path is stored, never the passphrase); an empty path turns it off.
  std::optional<std::filesystem::path> passphrase_file;
};

struct EnableResult {
  catalog::ScheduleRecord record;
  UnixTime next_slot = 0;
  std::string description;                               // "every week on Monday at 02:00 (UTC)"
  std::optional<std::filesystem::path> passphrase_file;  // set: scheduled backups are encrypted
};

// Enables (or re-configures) the schedule as `user`; the repository is made
// when missing. Re-enabling starts the cadence afresh from now: the first
// backup is at the first slot after now. Errors: no_permission (not a super
// admin, or the plan lacks scheduled backups, or a passphrase file that group
// or others can read or write), usage (bad cadence or zone), not_found (no
// such passphrase file).
EnableResult enable(store::Store& store, const std::filesystem::path& repository, std::string_view user,
                    const EnableRequest& request, const Clock& clock);

// Disables the schedule as `user` (a super admin, on any plan, so that a
// downgraded account can still stop it). Returns false when no schedule was
// enabled. The last run's state is kept for `status`.
bool disable(store::Store& store, const std::filesystem::path& repository, std::string_view user);

// The keep rules stored by enable (all 0 when none were given).
catalog::KeepRules keep_rules(catalog::Repository& repository);

}  // namespace crm::schedule
