#pragma once
// What every fuzz target shares: the input as a file the library can open by
// path, and the rule for what counts as a finding.
//
// A crm::Error is a documented refusal (the exit codes of SPEC §7) and is
// what hostile input should get; only Error(internal), which says "a bug",
// is a finding. Any other exception escapes to libFuzzer and is one too, as
// are crashes, sanitizer reports, leaks and timeouts. A file descriptor left
// open is a leak LeakSanitizer cannot see (glibc still lists an unclosed
// FILE), so accepts() counts them.

#include <crm/base/error.hpp>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <unistd.h>

namespace crm::fuzz {

// The input's bytes in an anonymous in-memory file (memfd), reached by a path
// (/proc/self/fd/N) as the CLI's files are. One file per process, rewritten
// for each input, so a run touches no disk.
class MemoryFile {
public:
  static const std::filesystem::path& write(const std::uint8_t* data, std::size_t size)
  {
    static MemoryFile file;
    if (::ftruncate(file.m_fd, 0) != 0)
      die("ftruncate");
    std::size_t done = 0;
    while (done < size) {
      const ssize_t written = ::pwrite(file.m_fd, data + done, size - done, static_cast<off_t>(done));
      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        die("pwrite");
      done += static_cast<std::size_t>(written);
    }
    return file.m_path;
  }

private:
  MemoryFile() : m_fd(::memfd_create("crm-fuzz-input", MFD_CLOEXEC))
  {
    if (m_fd < 0)
      die("memfd_create");
    m_path = "/proc/self/fd/" + std::to_string(m_fd);
  }

  [[noreturn]] static void die(const char* call)
  {
    std::perror(call);
    std::abort();
  }

  int m_fd;
  std::filesystem::path m_path;
};

// Stops the run with `what` when an invariant the input should keep is broken.
inline void require(bool is_kept, std::string_view what)
{
  if (!is_kept) {
    std::fprintf(stderr, "broken invariant: %.*s\n", static_cast<int>(what.size()), what.data());
    std::abort();
  }
}

// The file descriptors this process has open.
inline int open_file_count()
{
  DIR* directory = ::opendir("/proc/self/fd");
  require(directory != nullptr, "/proc/self/fd can be read");
  int count = 0;
  while (::readdir(directory) != nullptr)
    ++count;
  ::closedir(directory);
  return count;
}

// Runs `parse`; a refusal (any crm::Error but internal) is the normal outcome
// for bad input. Returns true when `parse` accepted the input. Either way
// `parse` must leave no file open.
template <typename Parse> bool accepts(Parse&& parse)
{
  const int open_before = open_file_count();
  bool is_accepted = true;
  try {
    parse();
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::internal) {
      std::fprintf(stderr, "internal error (a bug): %s\n", error.line().c_str());
      std::abort();
    }
    is_accepted = false;
  }
  require(open_file_count() == open_before, "a parser closes every file it opened, refusing or not");
  return is_accepted;
}

}  // namespace crm::fuzz
