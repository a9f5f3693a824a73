#pragma once
// A zone of the tz database ("Europe/Berlin", "Asia/Kathmandu", "UTC"), read
// with Howard Hinnant's date/tz library, the library C++20's <chrono> time
// zones came from. Conversions never touch TZ, tzset() or the C library's
// local time: a found zone is immutable, and any thread may use it at any
// moment.
//
// Zones come from the system's compiled tz database, /usr/share/zoneinfo, or
// from $TZDIR when it names another directory, as glibc does
// (docs/decisions.md, "Time zones", says how).

#include <crm/base/clock.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace crm::schedule {

class TimeZone {
public:
  // The zone named `name`; std::nullopt when the tz database has none: a name
  // that is not a plain relative name ("../etc/passwd", "/usr/share/zoneinfo/UTC"),
  // a file that is not a compiled zone ("zone.tab"), or no such file.
  static std::optional<TimeZone> find(std::string_view name);

  // Seconds east of UTC at `time`.
  std::int64_t offset_at(UnixTime time) const;
  // The calendar day the zone's clocks show at `time`, counted like sys_days.
  std::chrono::sys_days local_day(UnixTime time) const;
  // The instant the zone's clocks show `day` at `hour`:`minute`. When they
  // show it twice (the repeated hour of an autumn fold), the first of the two;
  // when they never do (the gap of a spring-forward night), the end of the
  // gap: the instant the clocks jump forward, which they show as the first
  // valid time after it (02:30 in a 02:00 -> 03:00 gap gives 03:00).
  UnixTime instant_of(std::chrono::sys_days day, int hour, int minute) const;
  // "2026-03-29 03:00 CEST": `time` on the zone's clocks, with the zone's
  // abbreviation for it.
  std::string format(UnixTime time) const;

private:
  explicit TimeZone(std::shared_ptr<const date::time_zone> zone);

  std::shared_ptr<const date::time_zone> m_zone;
};

}  // namespace crm::schedule
