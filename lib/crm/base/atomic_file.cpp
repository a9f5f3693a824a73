#include "crm/base/atomic_file.hpp"

#include <crm/base/error.hpp>
#include <crm/base/hex.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crm {

namespace fs = std::filesystem;

static constexpr std::string_view k_temporary_prefix = ".tmp-";

bool is_temporary_name(std::string_view file_name) { return file_name.starts_with(k_temporary_prefix); }

static std::string random_suffix()
{
  std::random_device device;
  return fmt::format("{:08x}{:08x}", device(), device());
}

// True for the names AtomicFile gives its temporary files: ".tmp-<name>-" and
// 16 hex digits.
static bool is_atomic_file_temporary(std::string_view name)
{
  if (!is_temporary_name(name) || name.size() < k_temporary_prefix.size() + 18 || name[name.size() - 17] != '-')
    return false;
  return is_lower_hex(name.substr(name.size() - 16));
}

// Creates the temporary file already locked (flock, held until commit() has
// renamed it or the object is destroyed), so that remove_dead_temporaries
// never takes a live writer's file: with O_TMPFILE the name appears only
// once the lock is held. Returns -1 with errno set on failure.
static int create_locked(const fs::path& directory, const fs::path& temporary, mode_t mode)
{
  int fd = ::open(directory.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
  if (fd >= 0) {
    const std::string self = fmt::format("/proc/self/fd/{}", fd);
    if (::flock(fd, LOCK_EX) == 0 &&
        ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temporary.c_str(), AT_SYMLINK_FOLLOW) == 0)
      return fd;
    ::close(fd);
  }
  // No O_TMPFILE here (or no /proc): name first, lock at once after.
  fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd >= 0 && ::flock(fd, LOCK_EX) != 0) {
    const int saved = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    errno = saved;
    return -1;
  }
  return fd;
}

AtomicFile::AtomicFile(fs::path path, mode_t mode) : m_path(std::move(path))
{
  const fs::path directory = m_path.has_parent_path() ? m_path.parent_path() : fs::path(".");
  remove_dead_temporaries(directory);
  m_temporary = directory / fmt::format("{}{}-{}", k_temporary_prefix, m_path.filename().string(), random_suffix());
  m_fd = create_locked(directory, m_temporary, mode);
  if (m_fd < 0)
    throw_errno(errno, "create", m_path.string(), true);
  // The umask may have narrowed the mode; it must never widen it, and 0600
  // must hold exactly.
  if (::fchmod(m_fd, mode) != 0) {
    const int saved = errno;
    ::close(m_fd);
    ::unlink(m_temporary.c_str());
    throw_errno(saved, "set the mode of", m_path.string(), true);
  }
}

AtomicFile::~AtomicFile()
{
  if (m_fd >= 0)
    ::close(m_fd);
  if (!m_is_committed)
    ::unlink(m_temporary.c_str());
}

void AtomicFile::write(std::string_view data)
{
  while (!data.empty()) {
    const ssize_t written = ::write(m_fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR)
        continue;
      throw_errno(errno, "write", m_path.string());
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

void AtomicFile::commit()
{
  if (::fsync(m_fd) != 0)
    throw_errno(errno, "flush", m_path.string());
  // Renamed while still open and locked: until then the temporary file is
  // a live writer's, which remove_dead_temporaries leaves alone.
  if (::rename(m_temporary.c_str(), m_path.c_str()) != 0)
    throw_errno(errno, "publish", m_path.string(), true);
  m_is_committed = true;
  const int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0)
    throw_errno(errno, "close", m_path.string());
  fsync_directory(m_path.has_parent_path() ? m_path.parent_path() : fs::path("."));
}

void write_file_atomically(const fs::path& path, std::string_view content, mode_t mode)
{
  AtomicFile file(path, mode);
  file.write(content);
  file.commit();
}

void fsync_directory(const fs::path& directory)
{
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw_errno(errno, "open directory", directory.string());
  const int result = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (result != 0)
    throw_errno(saved, "flush directory", directory.string());
}

void remove_stale_temporaries(const fs::path& directory)
{
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    if (is_temporary_name(entry.path().filename().string()))
      fs::remove(entry.path(), error);
  }
}

void remove_dead_temporaries(const fs::path& directory) noexcept
{
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (!is_atomic_file_temporary(name))
      continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
      continue;
    struct stat opened {};
    struct stat named {};
    // Only a regular file of ours, still the one at that name, whose writer's lock is gone.
    if (::fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode) && opened.st_uid == ::geteuid() &&
        ::flock(fd, LOCK_EX | LOCK_NB) == 0 && ::lstat(entry.path().c_str(), &named) == 0 &&
        named.st_ino == opened.st_ino && named.st_dev == opened.st_dev)
      ::unlink(entry.path().c_str());
    ::close(fd);
  }
}

}  // namespace crm
