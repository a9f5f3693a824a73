#include "crm/schedule/status.hpp"

#include <crm/base/error.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/offsite/remotes.hpp>
#include <crm/offsite/sidecar.hpp>
#include <crm/schedule/encryption.hpp>
#include <crm/schedule/stored_schedule.hpp>

#include <fmt/format.h>

namespace crm::schedule {

static std::optional<catalog::BackupRecord> newest_good_backup(catalog::Repository& repository)
{
  for (catalog::BackupRecord& record : repository.list()) {
    if (record.state != catalog::BackupState::damaged)
      return std::move(record);
  }
  return std::nullopt;
}

ScheduleStatus status(const std::filesystem::path& directory, const Clock& clock)
{
  catalog::Repository repository = catalog::Repository::open(directory, catalog::OpenIntent::read);
  const UnixTime now = clock.now();
  ScheduleStatus result;
  result.record = repository.schedule().get();
  if (result.record) {
    result.description = describe(cadence_of(*result.record));
    result.next_run = next_run_of(*result.record, now);
    result.is_due = due_slot_of(*result.record, now).has_value();
  }
  if (const std::optional<std::filesystem::path> file = passphrase_file(repository)) {
    result.passphrase = passphrase_source(*file);
    result.passphrase_problem = passphrase_problem(*result.passphrase);
  }
  result.last_backup = newest_good_backup(repository);
  if (result.last_backup)
    result.last_backup_age = now - result.last_backup->created_at;
  return result;
}

FreshnessCheck check_freshness(const std::filesystem::path& directory, std::int64_t max_age, const Clock& clock)
{
  catalog::Repository repository = catalog::Repository::open(directory, catalog::OpenIntent::read);
  FreshnessCheck check;
  check.max_age = max_age;
  check.newest = repository.newest();
  if (check.newest) {
    check.age = clock.now() - check.newest->created_at;
    check.is_fresh = check.age < max_age;
  }
  return check;
}

FreshnessCheck check_remote_freshness(const std::filesystem::path& directory, std::string_view remote,
                                      std::int64_t max_age, const Clock& clock)
{
  FreshnessCheck check;
  check.max_age = max_age;
  for (const offsite::RemoteSummary& summary : offsite::list_remotes(directory)) {
    if (summary.remote.name != remote)
      continue;
    if (summary.newest_copied) {
      check.newest = offsite::parse_sidecar(summary.newest_copied->sidecar).record;
      check.age = clock.now() - check.newest->created_at;
      check.is_fresh = check.age < max_age;
    }
    return check;
  }
  throw Error(ErrorKind::not_found, fmt::format("no remote {} in {}", remote, directory.string()),
              "crm-backup remote list shows the remotes");
}

}  // namespace crm::schedule
