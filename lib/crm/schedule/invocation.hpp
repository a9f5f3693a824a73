#pragma once
// How cron or a systemd timer calls `crm-schedule run`: everything the
// generated crontab line and unit files need, with absolute paths, because
// cron and systemd start commands from another directory with an almost
// empty environment.

#include <filesystem>
#include <string>

namespace crm::schedule {

struct Invocation {
  std::filesystem::path program;     // the crm-schedule binary
  std::filesystem::path store;       // given to the run as CRM_STORE
  std::filesystem::path repository;  // given to the run as CRM_BACKUP_REPO
  // Where the run's output goes: empty for syslog (the journal under
  // systemd), otherwise a log file appended to.
  std::filesystem::path log_file;
  int every_minutes = 10;                  // how often `run` is called: 1 to 60
  std::string unit_name = "crm-schedule";  // systemd: <unit_name>.service and .timer
  std::string system_user;                 // systemd: User=; empty runs as the timer's owner
  // systemd: the schedule's passphrase file, handed to the service as the
  // credential "passphrase" (encryption.hpp); empty when backups are not
  // encrypted. cron needs nothing: `run` reads the file named in the schedule.
  std::filesystem::path passphrase_file;
};

// `invocation` with every path made absolute against the current directory
// and normalised. Throws Error(usage) when every_minutes is outside 1..60 or
// unit_name is not a plain unit name.
Invocation make_absolute(Invocation invocation);

// The absolute path of the running executable (/proc/self/exe).
std::filesystem::path current_program();

// Throws Error(usage) when a path or the user name of `invocation` holds what
// a crontab line or a unit file cannot carry: a line break or any other
// control character (it would start a new crontab line or unit directive),
// or, for the user, anything but a POSIX user name ([A-Za-z0-9_][A-Za-z0-9_.-]*,
// at most 32 bytes). cron_line() and systemd_units() call it first.
void require_carriable(const Invocation& invocation);

// `text` quoted for /bin/sh: '...' with inner quotes as '\''.
std::string shell_quote(const std::string& text);

}  // namespace crm::schedule
