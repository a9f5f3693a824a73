#pragma once
// An exclusive advisory lock on a whole file: an open file description lock
// (fcntl F_OFD_SETLK). The kernel releases it when the process dies, so a
// kill -9 never leaves a lock behind; unlike flock, whether it is held can be
// asked without taking it (is_held), and it is honoured over NFS.

#include <filesystem>
#include <optional>

namespace crm {

class FileLock {
public:
  // Takes the lock without waiting; std::nullopt when another process (or
  // another FileLock of this process) holds it. Creates the lock file (0600)
  // when missing.
  static std::optional<FileLock> try_acquire(const std::filesystem::path& path);

  // True while someone holds the lock on `path` (F_OFD_GETLK): a read-only
  // look that never takes the lock, so it cannot make a concurrent
  // try_acquire fail. False when the file does not exist.
  static bool is_held(const std::filesystem::path& path);

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
