#pragma once
// A systemd .service and .timer pair that calls `crm-schedule run` every few
// minutes, the systemd equivalent of cron_line().

#include <crm/schedule/invocation.hpp>

#include <string>

namespace crm::schedule {

struct SystemdUnits {
  std::string service_name;  // "crm-schedule.service"
  std::string service;       // the unit file's text
  std::string timer_name;    // "crm-schedule.timer"
  std::string timer;
};

// The pair for `invocation` (absolute paths: make_absolute). The service is a
// oneshot whose output goes to the journal (or is appended to
// invocation.log_file); exit 75 (another run busy, or the backup must wait) is
// counted as success because the next timer tick retries it. With
// invocation.passphrase_file, the service loads it as the credential
// "passphrase" (LoadCredential=), which `run` reads first. Paths are quoted
// and '%' and '$' escaped as systemd requires.
SystemdUnits systemd_units(const Invocation& invocation);

}  // namespace crm::schedule
