#pragma once
// The backup repository (SPEC §5, docs/repository.md): a private directory
// (0700) holding catalog.sqlite and one archive file (0600) per backup.
//
// The crash-safety promise: a catalog row never points at a missing or
// partial file. Archives are written under a temporary name and published
// file first (fsync, rename, fsync directory), row second; backups are
// removed row first, file second. So a kill -9 at any instant leaves at
// worst a temporary file or an archive without a row; both are invisible to
// readers and removed by the next writer when it takes the lock.

#include <crm/base/clock.hpp>
#include <crm/base/file_lock.hpp>
#include <crm/catalog/backup_record.hpp>
#include <crm/catalog/catalog.hpp>
#include <crm/catalog/frequency.hpp>
#include <crm/catalog/journal.hpp>
#include <crm/catalog/pending_archive.hpp>
#include <crm/catalog/remote_copies.hpp>
#include <crm/catalog/schedule_state.hpp>
#include <crm/catalog/settings.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crm::catalog {

enum class OpenIntent {
  read,    // list, find, download: the repository must exist; nothing is created or changed
  write,   // prune, remove, settings, schedule: the repository must exist
  create,  // make a backup: the directory (0700) and the catalog are made when missing
};

class Repository {
public:
  // Opens the repository in `directory`. Without one there: Error(not_found,
  // "no backup repository at <dir>") for read and write; create makes it,
  // but refuses (Error(config)) a non-empty directory that holds no catalog.
  // Write and create tighten a directory that other users can read to 0700
  // (Error(config) when that fails). A catalog of a newer schema: Error(config).
  static Repository open(const std::filesystem::path& directory, OpenIntent intent);

  Repository(Repository&&) noexcept = default;
  Repository& operator=(Repository&&) noexcept = default;
  ~Repository() = default;

  const std::filesystem::path& directory() const { return m_directory; }
  // The journal in this repository's catalog, on a connection of its own;
  // read-only when the repository was opened for reading.
  Journal journal() const;
  // The off-site tables (remotes, copies), likewise.
  RemoteCopies remote_copies() const;
  std::filesystem::path archive_path(const BackupRecord& record) const;  // Error(data) unless archive_name_for(id)

  // Takes the writer lock (the file `lock`, released when this object is
  // destroyed or the process dies) without waiting: Error(temp_fail) when
  // another process holds it. Then removes what a killed writer left: stale
  // temporary files and archive files that have no catalog row.
  void acquire_writer_lock();

  // Starts an archive for a snapshot taken at `snapshot_time`: a fresh id and
  // a temporary file (0600) in the directory. Needs the writer lock.
  PendingArchive begin_archive(UnixTime snapshot_time);
  // Publishes `pending`: fsyncs and renames the file into place, fsyncs the
  // directory, then inserts the row. Takes from `record` everything but id,
  // created_at, archive_name and size_bytes, which come from `pending` and the
  // file; `record.sha256` must be the archive's (the caller hashes what it
  // wrote). Returns the row as stored. Needs the writer lock.
  BackupRecord publish(PendingArchive pending, BackupRecord record);

  // Newest first.
  std::vector<BackupRecord> list();
  std::optional<BackupRecord> newest();
  // Error(not_found, "no backup <id> in <dir>") when absent.
  BackupRecord find(std::string_view id);
  // Removes backups: every path is checked first, then all their rows go in
  // one transaction, then their files, then one directory fsync (a crash
  // leaves files without rows, which the next writer removes; never a row
  // without its file). Needs the writer lock. (prune.hpp decides which.)
  void remove(std::span<const std::string> ids);
  // Records the outcome of verify at `at` (state verified or damaged, and
  // what was damaged). Needs a write or create intent.
  void set_state(std::string_view id, BackupState state, UnixTime at, std::string_view damage = {});

  // Refuses (Error(temp_fail)) a backup at `now` that `limit` does not allow
  // yet, counting from the newest backup ever published here. Call it while
  // holding the writer lock, so that two backups started together cannot
  // both pass.
  void check_frequency(const FrequencyLimit& limit, UnixTime now);
  std::optional<UnixTime> last_backup_at();

  // The small settings (settings.hpp) and crm-schedule's schedule
  // (schedule_state.hpp) in this repository's catalog; changing them needs a
  // write or create intent.
  Settings settings() { return Settings(m_catalog, m_intent != OpenIntent::read); }
  ScheduleState schedule() { return ScheduleState(m_catalog, m_intent != OpenIntent::read); }

  // Names the catalog and the lock file take in the directory.
  static constexpr std::string_view k_catalog_name = "catalog.sqlite";
  static constexpr std::string_view k_lock_name = "lock";

private:
  Repository(std::filesystem::path directory, OpenIntent intent, Catalog catalog);
  void require_writer_lock(std::string_view action) const;
  void require_writable(std::string_view action) const;
  void remove_orphan_archives();

  std::filesystem::path m_directory;
  OpenIntent m_intent;
  Catalog m_catalog;
  std::optional<FileLock> m_lock;
};

}  // namespace crm::catalog
