#pragma once
// The recurring backup schedule as the catalog stores it (SPEC §1 schedule):
// its configuration and the state `crm-schedule run` keeps between runs. One
// per repository. Plain numbers and text, so the catalog (L2) needs nothing
// from schedule/ (L5), which turns this into a schedule::Cadence.

#include <crm/base/clock.hpp>

#include <optional>
#include <string>

namespace crm::catalog {

struct ScheduleRecord {
  bool is_enabled = false;
  int every_weeks = 1;  // 1 or 2
  int weekday = 1;      // ISO 8601: 1 = Monday ... 7 = Sunday
  int hour = 2;         // local time in time_zone
  int minute = 0;
  std::string time_zone = "UTC";                // IANA name: "Europe/Berlin"
  UnixTime enabled_at = 0;                      // the cadence's anchor: fixes which weeks a biweekly schedule runs
  std::string user;                             // who enabled it: the backups run as this user
  std::optional<UnixTime> last_run_at;          // when `run` last did something
  std::string last_outcome;                     // "ok", "refused: ...", "failed: ..."; empty before the first run
  std::optional<UnixTime> last_attempted_slot;  // the newest slot a run has handled (done or failed)
};

}  // namespace crm::catalog
