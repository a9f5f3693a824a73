#pragma once
// The crontab line that calls `crm-schedule run` every few minutes.

#include <crm/schedule/invocation.hpp>

#include <string>
#include <string_view>

namespace crm::schedule {

// One crontab line (no trailing newline) for `crontab -e`, for example
//   */10 * * * * CRM_STORE='/srv/crm/store.sqlite' CRM_BACKUP_REPO='/srv/backups' '/usr/bin/crm-schedule' run 2>&1 |
//   /usr/bin/logger -t crm-schedule
// Paths are absolute and shell-quoted; '%', which cron turns into a newline,
// is escaped. The output goes to syslog through logger, or is appended to
// invocation.log_file. `invocation` must have absolute paths (make_absolute).
// With a `user`, the line is for /etc/cron.d, whose lines name the user the
// command runs as after the time fields; a name that is not a valid user
// name is Error(usage).
std::string cron_line(const Invocation& invocation, std::string_view user = {});

}  // namespace crm::schedule
