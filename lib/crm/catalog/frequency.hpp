#pragma once
// SPEC §1 "how often": an account's plan allows one backup per interval
// (starter and professional 7 days, enterprise 24 hours), measured from the
// snapshot time of the newest backup ever published in the repository. The
// catalog knows no plans: the caller maps the tier to a FrequencyLimit.

#include <crm/base/clock.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace crm::catalog {

struct FrequencyLimit {
  std::string plan_name;                  // "starter": named in the refusal
  std::int64_t min_interval_seconds = 0;  // 0: no limit
};

// "7 days", "24 hours", "1 hour", "90 minutes": whole days only from two days
// up, so a day reads as the "24 hours" users know from the plan pages.
std::string describe_interval(std::int64_t seconds);

// The first instant a backup is allowed again after one made at `last_backup_at`.
UnixTime next_backup_allowed_at(const FrequencyLimit& limit, UnixTime last_backup_at);

// Throws Error(temp_fail, "backup refused: the <plan> plan allows one backup
// every <interval>; next backup allowed at <time>") when `now` is before
// next_backup_allowed_at(). No previous backup: always allowed.
void check_frequency(const FrequencyLimit& limit, std::optional<UnixTime> last_backup_at, UnixTime now);

}  // namespace crm::catalog
