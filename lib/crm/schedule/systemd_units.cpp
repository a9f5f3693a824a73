#include "crm/schedule/systemd_units.hpp"

#include <crm/base/error.hpp>
#include <crm/schedule/encryption.hpp>

#include <fmt/format.h>

namespace crm::schedule {

// A value inside double quotes in a unit file: '\' and '"' are escaped, '%'
// would start a specifier and, in command lines only, '$' a variable
// expansion (Environment= does not expand variables).
static std::string unit_quote(const std::string& text, bool is_command)
{
  std::string quoted = "\"";
  for (const char character : text) {
    switch (character) {
    case '\\': quoted += "\\\\"; break;
    case '"': quoted += "\\\""; break;
    case '%': quoted += "%%"; break;
    case '$': quoted += is_command ? "$$" : "$"; break;
    default: quoted += character;
    }
  }
  quoted += '"';
  return quoted;
}

static std::string escape_specifiers(const std::string& text)
{
  std::string escaped;
  for (const char character : text) {
    escaped += character;
    if (character == '%')
      escaped += '%';
  }
  return escaped;
}

// A path for a setting that takes it unquoted (StandardOutput=append:,
// LoadCredential=): it cannot hold white space, quotes or backslashes, and
// '%' is escaped. `problem` says what cannot be done, `hint` what to do.
static std::string unquoted_path(const std::filesystem::path& path, std::string_view problem, std::string hint)
{
  const std::string text = path.string();
  if (text.find_first_of(" \t\n\"'\\") != std::string::npos)
    throw Error(ErrorKind::usage, fmt::format("systemd cannot {} '{}'", problem, text), std::move(hint));
  return escape_specifiers(text);
}

static std::string on_calendar(int every_minutes)
{
  if (every_minutes >= 60)
    return "hourly";
  return fmt::format("*:0/{}", every_minutes);
}

SystemdUnits systemd_units(const Invocation& invocation)
{
  require_carriable(invocation);
  SystemdUnits units;
  units.service_name = invocation.unit_name + ".service";
  units.timer_name = invocation.unit_name + ".timer";

  std::string output;
  if (invocation.log_file.empty()) {
    output = "StandardOutput=journal\nStandardError=journal\nSyslogIdentifier=crm-schedule\n";
  } else {
    const std::string log =
        unquoted_path(invocation.log_file, "append to",
                      "choose a log file path without spaces or quotes, or leave --log-file out for the journal");
    output = fmt::format("StandardOutput=append:{}\nStandardError=append:{}\n", log, log);
  }
  const std::string user = invocation.system_user.empty() ? "" : fmt::format("User={}\n", invocation.system_user);
  std::string credential;
  if (!invocation.passphrase_file.empty()) {
    const std::string file = unquoted_path(
        invocation.passphrase_file, "load the credential",
        "move the passphrase file to a path without spaces or quotes and enable the schedule again with it");
    credential = fmt::format("# The passphrase of encrypted backups: systemd reads the file and hands it\n"
                             "# to the run in $CREDENTIALS_DIRECTORY/{}, readable by the service alone.\n"
                             "LoadCredential={}:{}\n",
                             k_passphrase_credential, k_passphrase_credential, file);
  }

  units.service = fmt::format("[Unit]\n"
                              "Description=CRM scheduled backup (crm-schedule run)\n"
                              "\n"
                              "[Service]\n"
                              "Type=oneshot\n"
                              "{}"
                              "Environment={}\n"
                              "Environment={}\n"
                              "{}"
                              "ExecStart={} run\n"
                              "# 75: another run is busy or the backup has to wait (a lock held, the plan's\n"
                              "# frequency limit); the next timer tick retries it.\n"
                              "SuccessExitStatus=75\n"
                              "UMask=0077\n"
                              "Nice=10\n"
                              "{}",
                              user, unit_quote("CRM_STORE=" + invocation.store.string(), false),
                              unit_quote("CRM_BACKUP_REPO=" + invocation.repository.string(), false), credential,
                              unit_quote(invocation.program.string(), true), output);

  units.timer = fmt::format("[Unit]\n"
                            "Description=Call crm-schedule run every {} minutes\n"
                            "\n"
                            "[Timer]\n"
                            "OnCalendar={}\n"
                            "AccuracySec=1min\n"
                            "Persistent=true\n"
                            "Unit={}\n"
                            "\n"
                            "[Install]\n"
                            "WantedBy=timers.target\n",
                            invocation.every_minutes, on_calendar(invocation.every_minutes), units.service_name);
  return units;
}

}  // namespace crm::schedule
