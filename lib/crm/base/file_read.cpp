#include "crm/base/file_read.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace crm {

namespace fs = std::filesystem;

void read_fd_chunks(int fd, std::string_view name, const std::function<void(std::string_view chunk)>& consume)
{
  std::string buffer(1 << 20, '\0');
  for (;;) {
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR)
        continue;
      throw_errno(errno, "read", name);
    }
    if (got == 0)
      return;
    consume(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
}

void read_file_chunks(const fs::path& path, const std::function<void(std::string_view chunk)>& consume)
{
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      throw Error(ErrorKind::not_found, fmt::format("no such file: {}", path.string()), "check the path");
    throw_errno(errno, "open", path.string());
  }
  try {
    read_fd_chunks(fd, path.string(), consume);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

std::string read_small_file(const fs::path& path, std::size_t max_bytes)
{
  std::string content;
  read_file_chunks(path, [&](std::string_view chunk) {
    content.append(chunk);
    if (content.size() > max_bytes)
      throw Error(ErrorKind::data, fmt::format("{} is larger than {} bytes", path.string(), max_bytes));
  });
  return content;
}

}  // namespace crm
