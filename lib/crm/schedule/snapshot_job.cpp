#include <crm/auth/permissions.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/notify/notifier.hpp>
#include <crm/schedule/snapshot_job.hpp>
#include <crm/snapshot/create.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>

namespace crm::schedule {

namespace {

class SnapshotJob final : public BackupJob {
public:
  SnapshotJob(std::filesystem::path store_path, std::filesystem::path repository, StderrLineFn print_line)
      : m_store_path(std::move(store_path)), m_repository(std::move(repository)), m_print_line(std::move(print_line))
  {
  }

  MadeBackup make_backup(const std::string& user, UnixTime slot, const Clock& clock) override
  {
    std::unique_ptr<store::Store> store = store::open_store(m_store_path, true);
    auth::require_tier(store->read()->account(), store::PlanTier::enterprise, "scheduled backups");
    snapshot::CreateOptions options;
    options.note = fmt::format("scheduled for {}", format_iso8601(slot));
    options.print_line = m_print_line;
    const snapshot::CreateResult result = snapshot::create(*store, m_repository, user, options, clock);
    return {result.id, result.created_at};
  }

  void notify_failure(const std::string& user, UnixTime slot, const Error& error, UnixTime now) override
  {
    std::unique_ptr<store::Store> store;
    std::string command;
    try {
      store = store::open_store(m_store_path, true);
    } catch (const Error&) {
      // Unreachable store: the notify command still tells the user.
    }
    try {
      command = catalog::Repository::open(m_repository, catalog::OpenIntent::read)
                    .setting("notify_command")
                    .value_or("");
    } catch (const Error&) {
    }
    notify::Event event;
    event.kind = "schedule.failed";
    event.user = user;
    event.at = now;
    event.message = fmt::format("scheduled backup for {} failed: {}", format_human(slot), error.line());
    event.environment = {{"CRM_BACKUP_STATE", "failed"},
                         {"CRM_BACKUP_EXIT_CODE", std::to_string(exit_code(error.kind()))},
                         {"CRM_SCHEDULE_SLOT", format_iso8601(slot)}};
    notify::deliver(store.get(), event, command, {});
  }

private:
  std::filesystem::path m_store_path;
  std::filesystem::path m_repository;
  StderrLineFn m_print_line;
};

}  // namespace

std::unique_ptr<BackupJob> snapshot_job(std::filesystem::path store_path, std::filesystem::path repository,
                                        StderrLineFn print_line)
{
  return std::make_unique<SnapshotJob>(std::move(store_path), std::move(repository), std::move(print_line));
}

}  // namespace crm::schedule
