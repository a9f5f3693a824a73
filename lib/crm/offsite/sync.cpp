#include "crm/offsite/sync.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/base/file_lock.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/offsite/destination.hpp>
#include <crm/offsite/remote_directory.hpp>
#include <crm/offsite/scratch_directory.hpp>
#include <crm/offsite/sidecar.hpp>
#include <crm/snapshot/archive_manifest.hpp>
#include <crm/snapshot/recorded_archive.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace crm::offsite {

namespace {

// The sidecar of a local backup; the manifest is read from the archive
// unless it is encrypted.
std::string sidecar_of(const catalog::Repository& repository, const catalog::BackupRecord& record)
{
  Sidecar sidecar;
  sidecar.record = record;
  if (!record.is_encrypted) {
    try {
      sidecar.manifest_json = snapshot::to_json(snapshot::read_manifest(repository.archive_path(record), {}));
    } catch (const Error&) {
      // A damaged archive fails its own check when the copy is tried.
    }
  }
  return to_json(sidecar);
}

class Copier {
public:
  Copier(catalog::Repository& repository, const Clock& clock)
      : m_repository(repository), m_copies(repository.remote_copies()), m_clock(clock)
  {
  }

  void copy_to(const catalog::Remote& remote, const std::vector<catalog::BackupRecord>& local,
               std::vector<CopyOutcome>& outcomes)
  {
    std::map<std::string, catalog::RemoteCopy> rows;
    for (catalog::RemoteCopy& copy : m_copies.copies(remote.name))
      rows.emplace(copy.backup_id, std::move(copy));
    std::map<std::string, const catalog::BackupRecord*> local_by_id;
    for (const catalog::BackupRecord& record : local) {
      local_by_id.emplace(record.id, &record);
      if (rows.contains(record.id))
        continue;
      catalog::RemoteCopy copy;
      copy.remote_name = remote.name;
      copy.backup_id = record.id;
      copy.created_at = record.created_at;
      copy.updated_at = m_clock.now();
      copy.sidecar = sidecar_of(m_repository, record);
      rows.emplace(record.id, m_copies.ensure_copy(copy));
    }

    // Oldest first, so that an interrupted run leaves the newest for last
    // and retention on the remote sees the older ones first.
    std::vector<const catalog::RemoteCopy*> due;
    for (auto& [id, copy] : rows) {
      if (copy.state == catalog::CopyState::copied || copy.state == catalog::CopyState::pruned)
        continue;
      if (!local_by_id.contains(id)) {
        const std::string gone = "the local archive was removed before it was copied";
        if (copy.state != catalog::CopyState::failed || copy.reason != gone)
          m_copies.record_attempt(remote.name, id, catalog::CopyState::failed, gone, m_clock.now());
        continue;
      }
      due.push_back(&copy);
    }
    if (due.empty())
      return;

    RemoteDirectory directory(remote.name, remote.destination);
    std::string unreachable;
    try {
      directory.remove_temporaries();
    } catch (const Error& error) {
      unreachable = error.line();
    }
    for (const catalog::RemoteCopy* copy : due) {
      CopyOutcome outcome{remote.name, remote.destination, copy->backup_id, catalog::CopyState::pending, unreachable};
      if (unreachable.empty())
        attempt(directory, *local_by_id.at(copy->backup_id), copy->sidecar, outcome);
      // A remote that is down is not asked again for each backup in this run.
      if (outcome.state == catalog::CopyState::pending)
        unreachable = outcome.reason;
      m_copies.record_attempt(remote.name, copy->backup_id, outcome.state, outcome.reason, m_clock.now());
      outcomes.push_back(std::move(outcome));
    }
  }

private:
  void attempt(RemoteDirectory& directory, const catalog::BackupRecord& record, const std::string& sidecar,
               CopyOutcome& outcome)
  {
    std::filesystem::path archive;
    try {
      archive = snapshot::checked_archive(m_repository, record);
    } catch (const Error& error) {
      outcome.state = catalog::CopyState::failed;
      outcome.reason = error.line();
      return;
    }
    try {
      directory.upload(archive, record.archive_name, record.size_bytes, record.sha256);
      ScratchDirectory scratch;
      const std::filesystem::path sidecar_file = scratch.path() / sidecar_name_for(record.id);
      write_file_atomically(sidecar_file, sidecar);
      directory.upload(sidecar_file, sidecar_name_for(record.id), static_cast<std::int64_t>(sidecar.size()),
                       crypto::sha256_hex(sidecar));
      outcome.state = catalog::CopyState::copied;
      outcome.reason.clear();
    } catch (const Error& error) {
      outcome.state = error.kind() == ErrorKind::unavailable ? catalog::CopyState::pending : catalog::CopyState::failed;
      outcome.reason = error.line();
    }
  }

  catalog::Repository& m_repository;
  catalog::RemoteCopies m_copies;
  const Clock& m_clock;
};

}  // namespace

bool SyncReport::is_complete() const
{
  if (is_lock_held)
    return false;
  return std::all_of(outcomes.begin(), outcomes.end(),
                     [](const CopyOutcome& outcome) { return outcome.state == catalog::CopyState::copied; });
}

SyncReport sync(const std::filesystem::path& repository_path, const Clock& clock, std::string_view only_remote)
{
  catalog::Repository repository = catalog::Repository::open(repository_path, catalog::OpenIntent::write);
  std::vector<catalog::Remote> remotes = repository.remote_copies().remotes();
  if (!only_remote.empty()) {
    std::erase_if(remotes, [&](const catalog::Remote& remote) { return remote.name != only_remote; });
    if (remotes.empty())
      throw Error(ErrorKind::not_found, fmt::format("no remote {} in {}", only_remote, repository_path.string()),
                  "crm-backup remote list shows the remotes");
  }
  SyncReport report;
  if (remotes.empty())
    return report;
  std::optional<FileLock> lock = FileLock::try_acquire(repository.directory() / k_remote_lock_name);
  if (!lock) {
    report.is_lock_held = true;
    return report;
  }
  std::vector<catalog::BackupRecord> local = repository.list();
  std::reverse(local.begin(), local.end());
  Copier copier(repository, clock);
  for (const catalog::Remote& remote : remotes)
    copier.copy_to(remote, local, report.outcomes);
  return report;
}

CopyAfterCreate::CopyAfterCreate(std::filesystem::path repository, bool is_remote_required, notify::LineFn print_line)
    : m_repository(std::move(repository)), m_is_remote_required(is_remote_required), m_print_line(std::move(print_line))
{
}

notify::LineFn CopyAfterCreate::print_line()
{
  return [this](std::string_view line) {
    if (m_is_remote_required)
      m_held_lines.emplace_back(line);
    else if (m_print_line)
      m_print_line(line);
  };
}

int CopyAfterCreate::copy(std::string_view backup_id, const Clock& clock)
{
  SyncReport report;
  std::string problem;
  try {
    report = sync(m_repository, clock);
  } catch (const Error& error) {
    report.is_lock_held = false;
    problem = fmt::format("backup {} is not copied to the remotes: {}", backup_id, error.line());
  }
  std::vector<std::string> lines = std::move(m_held_lines);
  if (report.is_lock_held)
    problem = fmt::format("backup {} is not copied to the remotes yet: another process is copying (remote.lock held)",
                          backup_id);
  for (const CopyOutcome& outcome : report.outcomes) {
    if (outcome.state == catalog::CopyState::copied) {
      lines.push_back(fmt::format("backup {} copied to remote {}", outcome.backup_id, outcome.remote_name));
    } else {
      const std::string line = fmt::format("backup {} not copied to remote {} ({}): {}", outcome.backup_id,
                                           outcome.remote_name, catalog::to_string(outcome.state), outcome.reason);
      if (problem.empty())
        problem = line;
      lines.push_back("warning: " + line + " (crm-backup remote sync tries again)");
    }
  }
  if (m_is_remote_required && !problem.empty())
    throw Error(ErrorKind::unavailable, problem,
                "the backup is made here; crm-backup remote sync tries the copy again");
  if (report.is_lock_held || (report.outcomes.empty() && !problem.empty()))
    lines.push_back("warning: " + problem + " (crm-backup remote sync tries again)");
  if (m_print_line)
    for (const std::string& line : lines)
      m_print_line(line);
  return 0;
}

}  // namespace crm::offsite
