#pragma once
// The BackupJob that `crm-schedule run` uses: a full backup of the store
// through snapshot::create, exactly as `crm-backup create` makes one.

#include <crm/notify/notifier.hpp>
#include <crm/schedule/backup_job.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace crm::schedule {

// Opens the store `store` (a locator) read-only for each backup (so an unreachable store is
// the failure of that run, retried by the next), checks that the account's
// plan has scheduled backups, and creates the backup in `repository` with
// the repository's notify command; `print_line` receives each line meant for
// stderr (the "backup ... ready" line, warnings). A failure is notified as
// "schedule.failed": in the journal, on the CRM's screen when it can be reached, and
// the notify command with CRM_BACKUP_STATE=failed, CRM_BACKUP_EXIT_CODE and
// CRM_SCHEDULE_SLOT in its environment.
std::unique_ptr<BackupJob> snapshot_job(std::string store, std::filesystem::path repository, notify::LineFn print_line);

}  // namespace crm::schedule
