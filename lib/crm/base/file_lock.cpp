#include "crm/base/file_lock.hpp"

#include <crm/base/error.hpp>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace crm {

namespace {

// The whole file, exclusively.
struct flock whole_file(short type)
{
  struct flock lock = {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = 0;
  lock.l_len = 0;
  return lock;
}

}  // namespace

std::optional<FileLock> FileLock::try_acquire(const std::filesystem::path& path)
{
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    throw_errno(errno, "open lock file", path.string(), true);
  struct flock lock = whole_file(F_WRLCK);
  if (::fcntl(fd, F_OFD_SETLK, &lock) != 0) {
    const int saved = errno;
    ::close(fd);
    if (saved == EAGAIN || saved == EACCES)
      return std::nullopt;
    throw_errno(saved, "lock", path.string());
  }
  return FileLock(fd);
}

bool FileLock::is_held(const std::filesystem::path& path)
{
  // Opened read-only: asking needs no write access, and a missing file is
  // a lock nobody holds (never created here).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return false;
    throw_errno(errno, "open lock file", path.string());
  }
  struct flock lock = whole_file(F_WRLCK);
  const int result = ::fcntl(fd, F_OFD_GETLK, &lock);
  const int saved = errno;
  ::close(fd);
  if (result != 0)
    throw_errno(saved, "test lock", path.string());
  return lock.l_type != F_UNLCK;
}

FileLock::FileLock(FileLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }

FileLock& FileLock::operator=(FileLock&& other) noexcept
{
  if (this != &other) {
    if (m_fd >= 0)
      ::close(m_fd);
    m_fd = other.m_fd;
    other.m_fd = -1;
  }
  return *this;
}

FileLock::~FileLock()
{
  if (m_fd >= 0)
    ::close(m_fd);
}

}  // namespace crm
