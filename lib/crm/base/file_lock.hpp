#pragma once
// An exclusive advisory lock on a file (flock). The kernel releases it when
// the process dies, so a kill -9 never leaves a lock behind.

#include <filesystem>
#include <optional>

namespace crm {

class FileLock {
public:
  // Takes the lock without waiting; std::nullopt when another process holds
  // it. Creates the lock file (0600) when missing.
  static std::optional<FileLock> try_acquire(const std::filesystem::path& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

private:
  explicit FileLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

}  // namespace crm
