#include "crm/schedule/snapshot_job.hpp"

#include <crm/auth/permissions.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/notify/notifier.hpp>
#include <crm/offsite/sync.hpp>
#include <crm/snapshot/create.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>

#include <optional>

namespace crm::schedule {

namespace {

class SnapshotJob final : public BackupJob {
public:
  SnapshotJob(std::string store, std::filesystem::path repository, notify::LineFn print_line)
      : m_store(std::move(store)), m_repository(std::move(repository)), m_print_line(std::move(print_line))
  {
  }

  MadeBackup make_backup(const BackupRequest& request, const Clock& clock) override
  {
    // A backup reads the CRM: read access is all it needs.
    std::unique_ptr<store::Store> store = open_store();
    auth::require_tier(store->read()->account(), store::PlanTier::enterprise, "scheduled backups");
    snapshot::CreateOptions options;
    options.note = request.note;
    if (request.passphrase)
      options.passphrase = SecretString(std::string(*request.passphrase));
    options.print_line = m_print_line;
    // run() notifies a failed slot, once (notify_failure below).
    options.failure_notice = snapshot::FailureNotice::by_caller;
    options.is_verified_before_ready = true;
    const snapshot::CreateResult result = snapshot::create(*store, m_repository, request.user, options, clock);
    offsite::CopyAfterCreate(m_repository, false, m_print_line).copy(result.id, clock);
    return {result.id, result.created_at};
  }

  void notify_failure(const std::string& user, UnixTime slot, const Error& error, UnixTime now) override
  {
    // Whatever part is unreachable (the store, the repository), the others
    // still tell the user.
    std::unique_ptr<store::Store> store;
    std::optional<catalog::Repository> repository;
    std::optional<catalog::Journal> journal;
    notify::Destinations notify_to;
    try {
      store = open_store();
      notify_to.store_id = store->read()->account().store_id;
      notify_to.store = store.get();
    } catch (const Error&) {
    }
    try {
      repository.emplace(catalog::Repository::open(m_repository, catalog::OpenIntent::write));
      notify_to.command = notify::configured_command(repository->settings());
      journal.emplace(repository->journal());
      notify_to.journal = &*journal;
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
    notify::deliver(event, notify_to, {});
  }

private:
  // Read access is all a backup needs; the repository's settings say what
  // the store's API cannot (docs/hubspot.md).
  std::unique_ptr<store::Store> open_store() const
  {
    store::StoreSettings settings;
    if (std::filesystem::exists(m_repository / catalog::Repository::k_catalog_name))
      settings = catalog::Repository::open(m_repository, catalog::OpenIntent::read).settings().all();
    return store::open_store(m_store, store::Access::read_only, settings);
  }

  std::string m_store;  // the locator
  std::filesystem::path m_repository;
  notify::LineFn m_print_line;
};

}  // namespace

std::unique_ptr<BackupJob> snapshot_job(std::string store, std::filesystem::path repository, notify::LineFn print_line)
{
  return std::make_unique<SnapshotJob>(std::move(store), std::move(repository), std::move(print_line));
}

}  // namespace crm::schedule
