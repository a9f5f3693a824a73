#pragma once
// A file that appears at its final path only complete (SPEC §5).
//
// Writes go to a temporary file beside `path` (same directory, so rename is
// atomic), created with `mode` (0600 by default: backups and secrets are
// private). commit() fsyncs the file, renames it into place and fsyncs the
// directory. If the object is destroyed without commit(), the temporary file
// is removed and nothing appears at `path`. A process killed mid-write leaves
// only a temporary file, whose name starts with ".tmp-" so that readers can
// ignore it and cleanup can find it (remove_stale_temporaries).

#include <filesystem>
#include <string_view>
#include <sys/types.h>

namespace crm {

class AtomicFile {
public:
  explicit AtomicFile(std::filesystem::path path, mode_t mode = 0600);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // The open file descriptor of the temporary file, for writers that take one.
  int fd() const { return m_fd; }
  const std::filesystem::path& temporary_path() const { return m_temporary; }
  const std::filesystem::path& path() const { return m_path; }

  void write(std::string_view data);
  // Publishes the file at path(). Throws Error(io) when the data cannot be
  // made durable; the temporary file is then removed.
  void commit();

private:
  std::filesystem::path m_path;
  std::filesystem::path m_temporary;
  int m_fd = -1;
  bool m_is_committed = false;
};

// Writes `content` to `path` through an AtomicFile.
void write_file_atomically(const std::filesystem::path& path, std::string_view content, mode_t mode = 0600);

// fsyncs a directory so that a rename or unlink inside it is durable.
void fsync_directory(const std::filesystem::path& directory);

// Removes temporary files left in `directory` by processes that died while
// writing. Call only while holding the lock that serialises writers there.
void remove_stale_temporaries(const std::filesystem::path& directory);

// Removes the temporary files of AtomicFile writers that died (kill -9) from
// `directory`: names ".tmp-<name>-<16 hex digits>", regular files owned by
// this user whose writer's lock is gone. Needs no lock of its own; a live
// writer's file is never touched. Errors are ignored (nothing is removed).
void remove_dead_temporaries(const std::filesystem::path& directory) noexcept;

// True for names AtomicFile uses for its temporary files.
bool is_temporary_name(std::string_view file_name);

}  // namespace crm
