#include "crm/schedule/cron_line.hpp"

#include <fmt/format.h>

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

std::string cron_line(const Invocation& invocation)
{
  require_carriable(invocation);
  std::string command =
      fmt::format("CRM_STORE={} CRM_BACKUP_REPO={} {} run", shell_quote(invocation.store.string()),
                  shell_quote(invocation.repository.string()), shell_quote(invocation.program.string()));
  if (invocation.log_file.empty())
    command += " 2>&1 | /usr/bin/logger -t crm-schedule";
  else
    command += fmt::format(" >>{} 2>&1", shell_quote(invocation.log_file.string()));
  return fmt::format("{} * * * * {}", minute_field(invocation.every_minutes), escape_percent(command));
}

}  // namespace crm::schedule
