#pragma once
// The BackupJob that `crm-schedule run` uses: a full backup of the store
// through snapshot::create, exactly as `crm-backup create` makes one.

#include <crm/schedule/backup_job.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

namespace crm::schedule {

// Receives each line meant for stderr (the "backup ... ready" line, warnings).
using StderrLineFn = std::function<void(std::string_view line)>;

// Opens the store at `store_path` for each backup (so an unreachable store is
// the failure of that run, retried by the next), checks that the account's
// plan has scheduled backups, and creates the backup in `repository` with
// the repository's notify command. A failure is notified as
// "schedule.failed": a notification row when the store can be reached, and
// the notify command with CRM_BACKUP_STATE=failed, CRM_BACKUP_EXIT_CODE and
// CRM_SCHEDULE_SLOT in its environment.
std::unique_ptr<BackupJob> snapshot_job(std::filesystem::path store_path, std::filesystem::path repository,
                                        StderrLineFn print_line);

}  // namespace crm::schedule
