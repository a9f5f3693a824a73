#include "crm/base/private_temp_file.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace crm {

int open_private_temp_file(std::string_view purpose)
{
  const char* directory = std::getenv("TMPDIR");
  const std::string where = directory != nullptr && *directory != '\0' ? directory : "/tmp";
  int fd = ::open(where.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    return fd;
  // File systems without O_TMPFILE: create, then unlink at once.
  std::string name = where + "/crm-backup-XXXXXX";
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0)
    throw_errno(errno, fmt::format("create {} in", purpose), where, true);
  ::unlink(name.c_str());
  return fd;
}

void write_all(int fd, std::string_view data, std::string_view purpose)
{
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR)
      continue;
    if (written < 0)
      throw_errno(errno, fmt::format("write {}", purpose), "$TMPDIR");
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace crm
