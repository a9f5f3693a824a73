#include "crm/base/secret_file.hpp"

#include <crm/base/error.hpp>
#include <crm/base/secret_memory.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crm {

namespace {

void require_regular(const struct stat& status, const std::filesystem::path& path, std::string_view what)
{
  if (!S_ISREG(status.st_mode))
    throw Error(ErrorKind::usage, fmt::format("the {} file {} is not a regular file", what, path.string()),
                fmt::format("write the {} into a file of its own", what));
}

void require_access(const struct stat& status, const std::filesystem::path& path, std::string_view what,
                    FileAccess access)
{
  if (access == FileAccess::owner_only && (status.st_mode & 077) != 0)
    throw Error(ErrorKind::no_permission,
                fmt::format("the {} file {} has mode {:04o}: group or others can {} it", what, path.string(),
                            status.st_mode & 07777, (status.st_mode & 044) != 0 ? "read" : "change"),
                fmt::format("chmod 600 {}", path.string()));
}

[[noreturn]] void throw_missing(const std::filesystem::path& path, std::string_view what)
{
  throw Error(ErrorKind::not_found, fmt::format("the {} file {} does not exist", what, path.string()),
              "check the path");
}

}  // namespace

void require_secret_file(const std::filesystem::path& path, std::string_view what, FileAccess access)
{
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    if (errno == ENOENT)
      throw_missing(path, what);
    throw_errno(errno, fmt::format("look at the {} file", what), path.string());
  }
  require_regular(status, path, what);
  require_access(status, path, what, access);
}

std::string read_secret_file(const std::filesystem::path& path, std::string_view what, FileAccess access,
                             std::size_t max_bytes)
{
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT)
      throw_missing(path, what);
    throw_errno(errno, fmt::format("read the {} file", what), path.string());
  }
  std::string secret;
  try {
    struct stat status {};
    if (::fstat(fd, &status) != 0)
      throw_errno(errno, fmt::format("look at the {} file", what), path.string());
    require_regular(status, path, what);
    require_access(status, path, what, access);
    // One byte more than allowed, to tell a full file from a longer one.
    secret.resize(max_bytes + 1);
    std::size_t size = 0;
    for (;;) {
      const ssize_t got = ::read(fd, secret.data() + size, secret.size() - size);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        throw_errno(errno, fmt::format("read the {} file", what), path.string());
      if (got == 0)
        break;
      size += static_cast<std::size_t>(got);
      if (size > max_bytes)
        throw Error(ErrorKind::usage,
                    fmt::format("the {} file {} is longer than {} bytes", what, path.string(), max_bytes),
                    fmt::format("write only the {} into it", what));
    }
    secret.resize(size);
    strip_line_break(secret);
    if (secret.empty())
      throw Error(ErrorKind::usage, fmt::format("the {} file {} is empty", what, path.string()),
                  fmt::format("write the {} into it", what));
  } catch (...) {
    ::close(fd);
    wipe(secret);
    throw;
  }
  ::close(fd);
  return secret;
}

void strip_line_break(std::string& secret)
{
  if (secret.ends_with('\n'))
    secret.pop_back();
  if (secret.ends_with('\r'))
    secret.pop_back();
}

}  // namespace crm
