#include "crm/schedule/invocation.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace crm::schedule {

namespace fs = std::filesystem;

// Letters, digits, '-', '_' and '.': what unit names and portable user
// names may hold, and nothing a unit file or a crontab line reads as syntax.
static bool is_portable_name(const std::string& name, std::size_t max_size)
{
  if (name.empty() || name.size() > max_size)
    return false;
  return std::all_of(name.begin(), name.end(), [](char character) {
    return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
           (character >= '0' && character <= '9') || character == '-' || character == '_' || character == '.';
  });
}

static bool is_plain_unit_name(const std::string& name) { return is_portable_name(name, 200); }

static bool is_posix_user_name(const std::string& name)
{
  return is_portable_name(name, 32) && name.front() != '-' && name.front() != '.';
}

void require_carriable(const Invocation& invocation)
{
  const std::pair<const char*, const fs::path*> paths[] = {{"program", &invocation.program},
                                                           {"store", &invocation.store},
                                                           {"repository", &invocation.repository},
                                                           {"log file", &invocation.log_file},
                                                           {"passphrase file", &invocation.passphrase_file}};
  for (const auto& [what, path] : paths) {
    const std::string& text = path->native();
    const bool has_control = std::any_of(text.begin(), text.end(), [](char character) {
      const auto byte = static_cast<unsigned char>(character);
      return byte < 0x20 || byte == 0x7f;
    });
    if (has_control)
      throw Error(
          ErrorKind::usage,
          fmt::format("the {} path \"{}\" holds a line break or another control character", what, printable(text)),
          "move it to a path without control characters; a crontab line or unit file cannot carry them");
  }
  if (!invocation.system_user.empty() && !is_posix_user_name(invocation.system_user))
    throw Error(ErrorKind::usage, fmt::format("\"{}\" is not a plain user name", printable(invocation.system_user)),
                "give --service-user a user name of letters, digits, '-', '_' and '.'");
}

Invocation make_absolute(Invocation invocation)
{
  if (invocation.every_minutes < 1 || invocation.every_minutes > 60)
    throw Error(ErrorKind::usage, fmt::format("--every-minutes {} is out of range", invocation.every_minutes),
                "give a number of minutes from 1 to 60");
  if (!is_plain_unit_name(invocation.unit_name))
    throw Error(ErrorKind::usage, fmt::format("'{}' is not a plain unit name", invocation.unit_name),
                "use letters, digits, '-', '_' and '.' only");
  const auto absolute = [](const fs::path& path) {
    return path.empty() ? path : fs::absolute(path).lexically_normal();
  };
  invocation.program = absolute(invocation.program);
  invocation.store = absolute(invocation.store);
  invocation.repository = absolute(invocation.repository);
  invocation.log_file = absolute(invocation.log_file);
  invocation.passphrase_file = absolute(invocation.passphrase_file);
  return invocation;
}

fs::path current_program()
{
  std::error_code error;
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (error)
    throw Error(ErrorKind::internal, "cannot find the path of this program", "is /proc mounted?");
  return program;
}

std::string shell_quote(const std::string& text)
{
  std::string quoted = "'";
  for (const char character : text) {
    if (character == '\'')
      quoted += "'\\''";
    else
      quoted += character;
  }
  quoted += '\'';
  return quoted;
}

}  // namespace crm::schedule
