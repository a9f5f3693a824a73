#include "crm/store/sqlite/connection.hpp"

#include <crm/base/error.hpp>

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace crm::store::sqlite {

namespace {

// SQLite's unix VFS takes a shared lock on these bytes of the database file
// for as long as a connection has a WAL database open (os_unix.c: PENDING_BYTE
// 0x40000000, SHARED_FIRST = PENDING_BYTE + 2, SHARED_SIZE 510).
constexpr off_t k_shared_first = 0x40000000 + 2;
constexpr off_t k_shared_size = 510;

struct RegistryEntry {
  std::filesystem::path path;
  int connections = 0;
  bool were_companions_absent = false;
};

std::mutex g_registry_mutex;
std::map<std::string, RegistryEntry> g_registry;

std::filesystem::path companion(const std::filesystem::path& database, const char* suffix)
{
  auto path = database;
  path += suffix;
  return path;
}

bool are_companions_absent(const std::filesystem::path& database)
{
  std::error_code error;
  return !std::filesystem::exists(companion(database, "-wal"), error) &&
         !std::filesystem::exists(companion(database, "-shm"), error);
}

// Removes the -wal and -shm when nobody holds the database. An open file
// description lock conflicts with SQLite's classic POSIX locks even inside
// one process, and closing its descriptor drops no lock SQLite holds because
// this process has no other connection to the file left (the registry says so).
void remove_unused_companions(const std::filesystem::path& database)
{
  const int fd = ::open(database.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return;  // cannot prove nobody uses them: leaving them is always safe
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = k_shared_first;
  lock.l_len = k_shared_size;
  if (::fcntl(fd, F_OFD_SETLK, &lock) == 0) {
    std::error_code error;
    const auto wal = companion(database, "-wal");
    const auto wal_size = std::filesystem::file_size(wal, error);
    if (error || wal_size == 0) {  // a -wal holding frames is someone's committed data: keep it
      std::filesystem::remove(wal, error);
      std::filesystem::remove(companion(database, "-shm"), error);
    }
  }
  ::close(fd);
}

// Called after a connection closed (or failed to open).
void release(const std::string& key)
{
  std::lock_guard lock(g_registry_mutex);
  auto found = g_registry.find(key);
  if (found == g_registry.end() || --found->second.connections > 0)
    return;
  if (found->second.were_companions_absent)
    remove_unused_companions(found->second.path);
  g_registry.erase(found);
}

// The file's identity, so that two spellings of one path (or a symlink) share
// one registry entry.
std::string identity_of(const std::filesystem::path& path)
{
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    throw_errno(errno, "open the store", path.string());
  return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
}

}  // namespace

Connection::Connection(const std::filesystem::path& path, bool is_writable)
{
  m_key = identity_of(path);
  {
    std::lock_guard lock(g_registry_mutex);
    auto& entry = g_registry[m_key];
    if (entry.connections++ == 0) {
      entry.path = path;
      entry.were_companions_absent = !is_writable && are_companions_absent(path);
    }
  }
  try {
    m_database.emplace(path, is_writable ? sql::OpenMode::read_write : sql::OpenMode::read_only, "store");
    if (is_writable)
      m_database->exec("PRAGMA foreign_keys = ON");
  } catch (...) {
    m_database.reset();
    release(m_key);
    throw;
  }
}

Connection::~Connection()
{
  m_database.reset();
  release(m_key);
}

}  // namespace crm::store::sqlite
