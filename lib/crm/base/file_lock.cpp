#include <crm/base/error.hpp>
#include <crm/base/file_lock.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace crm {

std::optional<FileLock> FileLock::try_acquire(const std::filesystem::path& path)
{
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    throw_errno(errno, "open lock file", path.string(), true);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd);
    if (saved == EWOULDBLOCK)
      return std::nullopt;
    throw_errno(saved, "lock", path.string());
  }
  return FileLock(fd);
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
