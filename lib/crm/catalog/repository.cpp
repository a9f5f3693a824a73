#include "crm/catalog/repository.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/catalog/backup_id.hpp>
#include <crm/catalog/read_only_refusal.hpp>
#include <crm/crypto/sha256.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crm::catalog {

namespace fs = std::filesystem;

namespace {

constexpr int k_id_attempts = 16;

Error no_repository(const fs::path& directory)
{
  return Error(ErrorKind::not_found, fmt::format("no backup repository at {}", directory.string()),
               "run crm-backup create first or check --repo/CRM_BACKUP_REPO");
}

// "repo/" and "repo" name the same directory; messages and children use "repo".
fs::path normalised(const fs::path& directory)
{
  fs::path path = directory.lexically_normal();
  if (!path.has_filename() && path.has_parent_path())
    path = path.parent_path();
  return path;
}

void make_directory(const fs::path& directory)
{
  std::error_code error;
  const fs::path parent = directory.parent_path();
  if (!parent.empty())
    fs::create_directories(parent, error);
  if (error)
    throw_errno(error.value(), "create the directory", parent.string(), true);
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
    throw_errno(errno, "create the backup repository", directory.string(), true);
  if (!parent.empty())
    fsync_directory(parent);
}

// True when the directory holds nothing a user could miss: a new repository
// goes only into an empty directory (a mount point's lost+found aside), so that
// cleanup of temporary and orphan files never touches someone else's files.
bool is_empty_enough(const fs::path& directory)
{
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    if (entry.path().filename() != "lost+found")
      return false;
  }
  if (error)
    throw_errno(error.value(), "read the directory", directory.string());
  return true;
}

// Backups hold all customer data: the directory and the catalog must be
// private to their owner. An existing one that others can read is tightened.
void make_private(const fs::path& path, mode_t private_mode)
{
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0)
    throw_errno(errno, "inspect", path.string());
  if ((status.st_mode & 077) == 0)
    return;
  if (::chmod(path.c_str(), private_mode) != 0)
    throw Error(ErrorKind::config,
                fmt::format("{} is open to other users (mode {:04o}) and cannot be made private: {}", path.string(),
                            status.st_mode & 07777, std::strerror(errno)),
                fmt::format("run chmod {:o} {}", private_mode, path.string()));
}

// Held while a new repository's catalog is made: two commands that find no
// initialised catalog take turns, so the second finds the first's catalog
// whole instead of a directory "not empty" or a catalog of version 0. A
// flock on the directory itself: the repository has no file to lock yet.
class InitialisingLock {
public:
  InitialisingLock() = default;
  ~InitialisingLock()
  {
    if (m_fd >= 0)
      ::close(m_fd);
  }
  InitialisingLock(const InitialisingLock&) = delete;
  InitialisingLock& operator=(const InitialisingLock&) = delete;

  bool is_held() const { return m_fd >= 0; }
  void take(const fs::path& directory)
  {
    m_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_fd < 0)
      throw_errno(errno, "open the backup repository", directory.string());
    while (::flock(m_fd, LOCK_EX) != 0)
      if (errno != EINTR)
        throw_errno(errno, "lock the backup repository", directory.string());
  }

private:
  int m_fd = -1;
};

}  // namespace

Repository::Repository(fs::path directory, OpenIntent intent, Catalog catalog)
    : m_directory(std::move(directory)), m_intent(intent), m_catalog(std::move(catalog))
{
}

Repository Repository::open(const fs::path& path, OpenIntent intent)
{
  const fs::path directory = normalised(path);
  struct stat status {};
  if (::stat(directory.c_str(), &status) != 0) {
    if (errno != ENOENT)
      throw_errno(errno, "open the backup repository", directory.string());
    if (intent != OpenIntent::create)
      throw no_repository(directory);
    make_directory(directory);
  } else if (!S_ISDIR(status.st_mode)) {
    throw Error(ErrorKind::config, fmt::format("the backup repository {} is not a directory", directory.string()),
                "point --repo or CRM_BACKUP_REPO at a directory");
  }

  const fs::path catalog_file = directory / k_catalog_name;
  InitialisingLock initialising;
  if (!fs::exists(catalog_file)) {
    if (intent != OpenIntent::create)
      throw no_repository(directory);
    initialising.take(directory);
    if (!fs::exists(catalog_file) && !is_empty_enough(directory))
      throw Error(ErrorKind::config, fmt::format("{} is not empty and holds no backup catalog", directory.string()),
                  "point --repo or CRM_BACKUP_REPO at a new or empty directory");
  }
  if (intent != OpenIntent::read)
    make_private(directory, 0700);

  // A read opens read-write when it may, so that SQLite can roll back a
  // journal left by a killed writer; it still creates nothing.
  sql::OpenMode mode = sql::OpenMode::read_write;
  if (intent == OpenIntent::create)
    mode = sql::OpenMode::create;
  else if (intent == OpenIntent::read && ::access(catalog_file.c_str(), W_OK) != 0)
    mode = sql::OpenMode::read_only;
  Catalog catalog(catalog_file, mode);
  if (intent != OpenIntent::read)
    make_private(catalog_file, 0600);

  int version = catalog.schema_version();
  if (version == 0 && !initialising.is_held()) {
    // Another command may be making it: wait for it, then look again.
    initialising.take(directory);
    version = catalog.schema_version();
  }
  if (version > Catalog::k_schema_version)
    throw Error(ErrorKind::config,
                fmt::format("the backup repository {} has catalog version {}; this crm-backup knows up to {}",
                            directory.string(), version, Catalog::k_schema_version),
                "upgrade crm-backup");
  if (version == 0) {
    if (intent == OpenIntent::read)
      throw no_repository(directory);
    catalog.initialise();
  } else if (version < Catalog::k_schema_version && intent != OpenIntent::read) {
    catalog.upgrade();
  }
  return Repository(directory, intent, std::move(catalog));
}

Journal Repository::journal() const
{
  return Journal(m_directory, m_intent == OpenIntent::read ? sql::OpenMode::read_only : sql::OpenMode::read_write);
}

RemoteCopies Repository::remote_copies() const
{
  return RemoteCopies(m_directory, m_intent == OpenIntent::read ? sql::OpenMode::read_only : sql::OpenMode::read_write);
}

fs::path Repository::archive_path(const BackupRecord& record) const
{
  // A catalog row is data, not a path: anyone who can write catalog.sqlite
  // could otherwise point a read, a download or an unlink anywhere.
  if (!is_backup_id(record.id) || record.archive_name != archive_name_for(record.id))
    throw Error(ErrorKind::data,
                fmt::format("the catalog row of backup {} names the archive \"{}\", not {}", printable(record.id, 40),
                            printable(record.archive_name, 80), archive_name_for(printable(record.id, 40))),
                "the catalog was changed outside crm-backup; remove that row or restore the catalog");
  return m_directory / record.archive_name;
}

void Repository::require_writable(std::string_view action) const
{
  if (m_intent == OpenIntent::read)
    throw read_only_refusal(action);
}

void Repository::require_writer_lock(std::string_view action) const
{
  if (!m_lock)
    throw Error(ErrorKind::internal, fmt::format("cannot {} without the repository's writer lock", action),
                "this is a bug; please report it");
}

void Repository::acquire_writer_lock()
{
  require_writable("take the writer lock");
  if (m_lock)
    return;
  std::optional<FileLock> lock = FileLock::try_acquire(m_directory / k_lock_name);
  if (!lock)
    throw Error(ErrorKind::temp_fail, "another backup is running in this repository (lock held)",
                "wait for it to finish and run again");
  m_lock = std::move(lock);
  remove_stale_temporaries(m_directory);
  remove_orphan_archives();
}

// An archive file without a row was renamed into place by a writer killed
// before it inserted the row: complete, but never published. Removing it
// keeps the promise that the backup either exists (row and file) or not.
void Repository::remove_orphan_archives()
{
  bool is_any_removed = false;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(m_directory, error)) {
    const std::optional<std::string> id = id_from_archive_name(entry.path().filename().string());
    if (!id || m_catalog.has_backup(*id))
      continue;
    if (::unlink(entry.path().c_str()) != 0 && errno != ENOENT)
      throw_errno(errno, "remove the unpublished archive", entry.path().string());
    is_any_removed = true;
  }
  if (error)
    throw_errno(error.value(), "read the backup repository", m_directory.string());
  if (is_any_removed)
    fsync_directory(m_directory);
}

PendingArchive Repository::begin_archive(UnixTime snapshot_time)
{
  require_writer_lock("start an archive");
  for (int attempt = 0; attempt < k_id_attempts; ++attempt) {
    std::string id = make_backup_id(snapshot_time);
    std::string name = archive_name_for(id);
    if (m_catalog.has_backup(id) || fs::exists(m_directory / name))
      continue;
    auto file = std::make_unique<AtomicFile>(m_directory / name, 0600);
    return PendingArchive{std::move(id), snapshot_time, std::move(name), std::move(file)};
  }
  throw Error(
      ErrorKind::internal,
      fmt::format("cannot find a free backup id for {} in {}", format_iso8601(snapshot_time), m_directory.string()),
      "this is a bug; please report it");
}

BackupRecord Repository::publish(PendingArchive pending, BackupRecord record)
{
  require_writer_lock("publish a backup");
  if (!pending.file || !crypto::is_sha256_hex(record.sha256) || record.format_version <= 0)
    throw Error(ErrorKind::internal, "a backup was published without its archive, sha256 or format version",
                "this is a bug; please report it");
  record.id = pending.id;
  record.created_at = pending.created_at;
  record.archive_name = pending.archive_name;
  record.state = BackupState::complete;

  const fs::path path = m_directory / record.archive_name;
  pending.file->commit();
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0)
    throw_errno(errno, "inspect the new archive", path.string());
  record.size_bytes = static_cast<std::int64_t>(status.st_size);
  try {
    m_catalog.insert(record);
  } catch (...) {
    // Without its row the file is an unpublished orphan; take it away now
    // rather than at the next lock.
    ::unlink(path.c_str());
    throw;
  }
  return record;
}

std::vector<BackupRecord> Repository::list() { return m_catalog.list(); }

std::optional<BackupRecord> Repository::newest()
{
  std::vector<BackupRecord> records = m_catalog.list();
  if (records.empty())
    return std::nullopt;
  return std::move(records.front());
}

BackupRecord Repository::find(std::string_view id)
{
  std::optional<BackupRecord> record = m_catalog.find(id);
  if (!record)
    throw Error(ErrorKind::not_found, fmt::format("no backup {} in {}", id, m_directory.string()),
                "crm-backup list shows the backups");
  return std::move(*record);
}

void Repository::remove(std::span<const std::string> ids)
{
  require_writer_lock("remove backups");
  std::vector<fs::path> paths;
  for (const std::string& id : ids)
    paths.push_back(archive_path(find(id)));
  if (ids.empty())
    return;
  m_catalog.erase(ids);
  for (const fs::path& path : paths)
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
      throw_errno(errno, "remove the archive", path.string());
  fsync_directory(m_directory);
}

void Repository::set_state(std::string_view id, BackupState state, UnixTime at, std::string_view damage)
{
  require_writable("record a backup's state");
  find(id);
  m_catalog.set_state(id, state, at, damage);
}

void Repository::check_frequency(const FrequencyLimit& limit, UnixTime now)
{
  catalog::check_frequency(limit, m_catalog.last_backup_at(), now);
}

std::optional<UnixTime> Repository::last_backup_at() { return m_catalog.last_backup_at(); }

}  // namespace crm::catalog
