#include "crm/schedule/cron_line.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

#include <regex>

namespace crm::schedule {

// cron hands the command field to /bin/sh, except that an unescaped '%' ends
// the command (the rest becomes its stdin): escape every one.
static std::string escape_percent(const std::string& text)
{
  std::string escaped;
  for (const char character : text) {
    if (character == '%')
      escaped += '\\';
    escaped += character;
  }
  return escaped;
}

static std::string minute_field(int every_minutes)
{
  if (every_minutes >= 60)
    return "0";
  if (every_minutes == 1)
    return "*";
  return fmt::format("*/{}", every_minutes);
}

// A POSIX-portable user name, as useradd accepts by default: nothing cron
// could read as a further field or a shell could expand.
static void require_user_name(std::string_view user)
{
  static const std::regex k_user_name("[a-z_][a-z0-9_-]{0,31}");
  if (!std::regex_match(user.begin(), user.end(), k_user_name))
    throw Error(ErrorKind::usage, "--user takes a user name such as crm (lowercase letters, digits, _ and -)",
                "give the name of the user cron runs the command as");
}

std::string cron_line(const Invocation& invocation, std::string_view user)
{
  require_carriable(invocation);
  if (!user.empty())
    require_user_name(user);
  std::string command =
      fmt::format("CRM_STORE={} CRM_BACKUP_REPO={} {} run", shell_quote(invocation.store.string()),
                  shell_quote(invocation.repository.string()), shell_quote(invocation.program.string()));
  if (invocation.log_file.empty())
    command += " 2>&1 | /usr/bin/logger -t crm-schedule";
  else
    command += fmt::format(" >>{} 2>&1", shell_quote(invocation.log_file.string()));
  return fmt::format("{} * * * * {}{}", minute_field(invocation.every_minutes),
                     user.empty() ? "" : std::string(user) + " ", escape_percent(command));
}

}  // namespace crm::schedule
