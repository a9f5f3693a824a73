#pragma once
// When a recurring backup is due (SPEC §1 schedule): `crm-schedule enable
// --every week|2weeks --day mon..sun --at HH:MM --tz ZONE`. Pure functions of
// the cadence and the time; no store, no repository.
//
// Slots are wall-clock times in the cadence's zone: "Sunday 02:30
// Europe/Berlin" stays 02:30 local across daylight-saving changes. The first
// slot is the first such time after `anchor` (when the schedule was enabled);
// a biweekly cadence then runs every second week from it, so its parity never
// drifts. On a spring-forward day a slot that does not exist (02:30 when
// clocks jump from 02:00 to 03:00) happens at the next valid time, the end of
// the gap (03:00). On a fall-back day a slot that happens twice (02:30 when
// clocks go from 03:00 back to 02:00) happens once, at its first occurrence.
//
// Zones come from the system's tz database (/usr/share/zoneinfo, or $TZDIR)
// through schedule::TimeZone: nothing here reads or changes the process's TZ
// or local time, so any thread may call these functions at any moment.

#include <crm/base/clock.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crm::schedule {

// ISO 8601 day numbers, as the catalog's ScheduleRecord stores them.
enum class Weekday : int { monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday };

struct TimeOfDay {
  int hour = 0;
  int minute = 0;
};

struct Cadence {
  int every_weeks = 1;  // 1 or 2
  Weekday weekday = Weekday::monday;
  int hour = 2;  // local time in time_zone
  int minute = 0;
  std::string time_zone = "UTC";  // IANA name: "Europe/Berlin"
  UnixTime anchor = 0;            // when the schedule was enabled: the first slot comes after it
};

// "mon".."sun" or "monday".."sunday", any case; Error(usage) otherwise.
Weekday parse_weekday(std::string_view text);
// "mon".."sun".
std::string_view to_string(Weekday weekday);
// "HH:MM" (or "H:MM"), 24-hour; Error(usage) otherwise.
TimeOfDay parse_time_of_day(std::string_view text);
// --every: "week" -> 1, "2weeks" -> 2; Error(usage) otherwise.
int parse_every(std::string_view text);

// Error(usage) for an unknown zone ("unknown time zone 'Mars/Base'"), an
// interval other than 1 or 2 weeks, or an hour or minute out of range.
void validate(const Cadence& cadence);
// True when the tz database has `zone` ("UTC", "Europe/Berlin").
bool is_known_time_zone(std::string_view zone);

// The first slot strictly after `time`.
UnixTime next_slot_after(const Cadence& cadence, UnixTime time);
// The newest slot at or before `time`; std::nullopt before the first slot.
std::optional<UnixTime> latest_slot_at_or_before(const Cadence& cadence, UnixTime time);
// The newest slot in (last, now], if any: what `crm-schedule run` should do
// now, given the last slot it handled (or the anchor before the first run).
// A machine that was off for a month catches up once, with the newest
// missed slot, not once per missed slot.
std::optional<UnixTime> due_slot(const Cadence& cadence, UnixTime last, UnixTime now);

// "every week on Sunday at 02:30 (Europe/Berlin)", "every 2 weeks on ...".
std::string describe(const Cadence& cadence);
// "2026-03-29 03:00 CEST": a time as the user's clock shows it.
std::string format_in_zone(UnixTime time, std::string_view zone);

}  // namespace crm::schedule
