#include <crm/base/error.hpp>
#include <crm/schedule/invocation.hpp>

#include <fmt/format.h>

namespace crm::schedule {

namespace fs = std::filesystem;

static bool is_plain_unit_name(const std::string& name)
{
  if (name.empty() || name.size() > 200)
    return false;
  for (const char character : name) {
    const bool is_allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
                            (character >= '0' && character <= '9') || character == '-' || character == '_' ||
                            character == '.';
    if (!is_allowed)
      return false;
  }
  return true;
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
