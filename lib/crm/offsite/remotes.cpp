#include "crm/offsite/remotes.hpp"

#include <crm/base/error.hpp>
#include <crm/base/file_lock.hpp>
#include <crm/base/printable.hpp>
#include <crm/catalog/backup_id.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/offsite/destination.hpp>
#include <crm/offsite/remote_directory.hpp>
#include <crm/offsite/sidecar.hpp>
#include <crm/offsite/sync.hpp>

#include <fmt/format.h>

#include <map>

namespace crm::offsite {

namespace {

constexpr std::size_t k_max_sidecar_bytes = 16 << 20;

catalog::Remote require_remote(catalog::RemoteCopies& copies, std::string_view name,
                               const std::filesystem::path& repository)
{
  std::optional<catalog::Remote> remote = copies.find_remote(name);
  if (!remote)
    throw Error(ErrorKind::not_found, fmt::format("no remote {} in {}", printable(name, 40), repository.string()),
                "crm-backup remote list shows the remotes");
  return std::move(*remote);
}

FileLock take_remote_lock(const catalog::Repository& repository)
{
  std::optional<FileLock> lock = FileLock::try_acquire(repository.directory() / k_remote_lock_name);
  if (!lock)
    throw Error(ErrorKind::temp_fail, "another process is copying backups to the remotes (remote.lock held)",
                "wait for it to finish and run again");
  return std::move(*lock);
}

}  // namespace

catalog::Remote add_remote(const std::filesystem::path& repository_path, std::string_view name,
                           std::string_view destination, const Clock& clock)
{
  check_remote_name(name);
  check_destination(destination);
  catalog::Repository repository = catalog::Repository::open(repository_path, catalog::OpenIntent::create);
  catalog::Remote remote{std::string(name), anchored_destination(destination), clock.now()};
  repository.remote_copies().add_remote(remote);
  return remote;
}

void remove_remote(const std::filesystem::path& repository_path, std::string_view name)
{
  catalog::Repository repository = catalog::Repository::open(repository_path, catalog::OpenIntent::write);
  catalog::RemoteCopies copies = repository.remote_copies();
  require_remote(copies, name, repository_path);
  copies.remove_remote(name);
}

std::vector<RemoteSummary> list_remotes(const std::filesystem::path& repository_path)
{
  catalog::Repository repository = catalog::Repository::open(repository_path, catalog::OpenIntent::read);
  catalog::RemoteCopies copies = repository.remote_copies();
  std::vector<RemoteSummary> summaries;
  for (catalog::Remote& remote : copies.remotes()) {
    RemoteSummary summary;
    summary.remote = std::move(remote);
    for (catalog::RemoteCopy& copy : copies.copies(summary.remote.name)) {
      switch (copy.state) {
      case catalog::CopyState::copied:
        ++summary.copied;
        if (!summary.newest_copied)
          summary.newest_copied = std::move(copy);
        break;
      case catalog::CopyState::pending: ++summary.pending; break;
      case catalog::CopyState::failed: ++summary.failed; break;
      case catalog::CopyState::pruned: break;
      }
    }
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

ImportReport import_remote(const std::filesystem::path& repository_path, std::string_view name, const Clock& clock)
{
  catalog::Repository repository = catalog::Repository::open(repository_path, catalog::OpenIntent::write);
  catalog::RemoteCopies copies = repository.remote_copies();
  const catalog::Remote remote = require_remote(copies, name, repository_path);
  RemoteDirectory directory(remote.name, remote.destination);

  std::map<std::string, std::int64_t> archive_sizes;
  std::vector<std::string> sidecars;
  for (const RemoteFile& file : directory.list()) {
    if (catalog::id_from_archive_name(file.name))
      archive_sizes.emplace(file.name, file.size_bytes);
    else if (file.name.ends_with(".json") && catalog::is_backup_id(file.name.substr(0, file.name.size() - 5)))
      sidecars.push_back(file.name);
  }
  ImportReport report;
  for (const std::string& sidecar_name : sidecars) {
    std::string text;
    directory.download(sidecar_name, [&](std::string_view bytes) {
      if (text.size() + bytes.size() > k_max_sidecar_bytes)
        throw Error(ErrorKind::data,
                    fmt::format("the sidecar {} on {} is too large", sidecar_name, directory.describe()));
      text.append(bytes);
    });
    Sidecar sidecar;
    try {
      sidecar = parse_sidecar(text);
    } catch (const Error& error) {
      report.skipped.push_back(fmt::format("{}: {}", sidecar_name, error.what()));
      continue;
    }
    const catalog::BackupRecord& record = sidecar.record;
    if (sidecar_name != sidecar_name_for(record.id)) {
      report.skipped.push_back(fmt::format("{}: it describes backup {}", sidecar_name, record.id));
      continue;
    }
    const auto archive = archive_sizes.find(record.archive_name);
    if (archive == archive_sizes.end() || archive->second != record.size_bytes) {
      report.skipped.push_back(fmt::format("{}: {} is missing or has another size", sidecar_name, record.archive_name));
      continue;
    }
    catalog::RemoteCopy copy;
    copy.remote_name = remote.name;
    copy.backup_id = record.id;
    copy.created_at = record.created_at;
    copy.state = catalog::CopyState::copied;
    copy.updated_at = clock.now();
    copy.sidecar = text;
    copies.put_copy(copy);
    report.imported.push_back(record.id);
  }
  std::sort(report.imported.rbegin(), report.imported.rend());
  return report;
}

std::vector<catalog::PruneDecision> prune_remote(const std::filesystem::path& repository_path, std::string_view name,
                                                 const catalog::KeepRules& rules, UnixTime now, bool is_dry_run)
{
  catalog::Repository repository =
      catalog::Repository::open(repository_path, is_dry_run ? catalog::OpenIntent::read : catalog::OpenIntent::write);
  catalog::RemoteCopies copies = repository.remote_copies();
  const catalog::Remote remote = require_remote(copies, name, repository_path);
  std::optional<FileLock> lock;
  if (!is_dry_run)
    lock.emplace(take_remote_lock(repository));

  std::vector<catalog::BackupRecord> records;
  for (const catalog::RemoteCopy& copy : copies.copies(remote.name))
    if (copy.state == catalog::CopyState::copied)
      records.push_back(parse_sidecar(copy.sidecar).record);
  std::vector<catalog::PruneDecision> decisions = catalog::plan_retention(std::move(records), rules, now);
  if (is_dry_run)
    return decisions;
  RemoteDirectory directory(remote.name, remote.destination);
  for (const catalog::PruneDecision& decision : decisions) {
    if (decision.action != catalog::PruneAction::remove)
      continue;
    // Row first: a crash after it leaves files that no copied row names
    // (remote import would find them again), never a row without its file.
    // The row stays as "pruned", so that sync does not copy the backup again.
    for (catalog::RemoteCopy copy : copies.copies_of(decision.record.id))
      if (copy.remote_name == remote.name) {
        copy.state = catalog::CopyState::pruned;
        copy.reason = decision.reason;
        copy.updated_at = now;
        copies.put_copy(copy);
      }
    directory.remove(sidecar_name_for(decision.record.id));
    directory.remove(decision.record.archive_name);
  }
  return decisions;
}

}  // namespace crm::offsite
