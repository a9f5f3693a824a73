#include "crm/schedule/cadence.hpp"

#include <crm/base/error.hpp>
#include <crm/base/lowercase.hpp>
#include <crm/schedule/time_zone.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>

namespace crm::schedule {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::array<std::string_view, 7> k_short_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> k_long_names{"monday", "tuesday",  "wednesday", "thursday",
                                                       "friday", "saturday", "sunday"};
constexpr std::array<std::string_view, 7> k_display_names{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                          "Friday", "Saturday", "Sunday"};

// The cadence's zone; Error(usage) when the tz database has no such zone.
TimeZone zone_named(std::string_view name)
{
  std::optional<TimeZone> zone = TimeZone::find(name);
  if (!zone)
    throw Error(ErrorKind::usage, fmt::format("unknown time zone '{}'", name),
                "use a name from the tz database, such as Europe/Berlin, America/New_York or UTC");
  return std::move(*zone);
}

// Checks the cadence as validate() promises and returns its zone.
TimeZone validated_zone(const Cadence& cadence)
{
  if (cadence.every_weeks != 1 && cadence.every_weeks != 2)
    throw Error(ErrorKind::usage, fmt::format("cannot schedule backups every {} weeks", cadence.every_weeks),
                "use --every week or --every 2weeks");
  const int weekday = static_cast<int>(cadence.weekday);
  if (weekday < 1 || weekday > 7)
    throw Error(ErrorKind::usage, fmt::format("not a day of the week: {}", weekday),
                "use mon, tue, wed, thu, fri, sat or sun");
  if (cadence.hour < 0 || cadence.hour > 23 || cadence.minute < 0 || cadence.minute > 59)
    throw Error(ErrorKind::usage, fmt::format("not a time of day: {:02}:{:02}", cadence.hour, cadence.minute),
                "use HH:MM, 24-hour, such as 02:00");
  return zone_named(cadence.time_zone);
}

bool is_digits(std::string_view text)
{
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The dates of a cadence's slots, as local calendar days: first, first +
// period, first + 2 periods, ...
struct SlotDates {
  sys_days first;
  int period_days;
};

SlotDates slot_dates(const Cadence& cadence, const TimeZone& zone)
{
  const sys_days anchor_day = zone.local_day(cadence.anchor);
  const int anchor_weekday = static_cast<int>(std::chrono::weekday{anchor_day}.iso_encoding());
  sys_days first = anchor_day + days{(static_cast<int>(cadence.weekday) - anchor_weekday + 7) % 7};
  if (zone.instant_of(first, cadence.hour, cadence.minute) <= cadence.anchor)
    first += days{7};
  return SlotDates{first, 7 * cadence.every_weeks};
}

// Whole periods from the first slot date to `day`, rounded down.
std::int64_t periods_until(const SlotDates& dates, sys_days day)
{
  const std::int64_t elapsed = (day - dates.first).count();
  return elapsed >= 0 ? elapsed / dates.period_days : -((-elapsed + dates.period_days - 1) / dates.period_days);
}

UnixTime slot_instant(const Cadence& cadence, const TimeZone& zone, const SlotDates& dates, std::int64_t index)
{
  return zone.instant_of(dates.first + days{index * dates.period_days}, cadence.hour, cadence.minute);
}

}  // namespace

Weekday parse_weekday(std::string_view text)
{
  const std::string lower = lowercase(text);
  for (std::size_t index = 0; index < k_short_names.size(); ++index)
    if (lower == k_short_names[index] || lower == k_long_names[index])
      return static_cast<Weekday>(index + 1);
  throw Error(ErrorKind::usage, fmt::format("not a day of the week: '{}'", text),
              "use mon, tue, wed, thu, fri, sat or sun");
}

std::string_view to_string(Weekday weekday) { return k_short_names.at(static_cast<std::size_t>(weekday) - 1); }

TimeOfDay parse_time_of_day(std::string_view text)
{
  const std::size_t colon = text.find(':');
  const std::string_view hours = text.substr(0, colon);
  const std::string_view minutes = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (colon != std::string_view::npos && is_digits(hours) && hours.size() <= 2 && is_digits(minutes) &&
      minutes.size() == 2) {
    const TimeOfDay time{std::stoi(std::string(hours)), std::stoi(std::string(minutes))};
    if (time.hour < 24 && time.minute < 60)
      return time;
  }
  throw Error(ErrorKind::usage, fmt::format("not a time of day: '{}'", text), "use HH:MM, 24-hour, such as 02:00");
}

int parse_every(std::string_view text)
{
  const std::string lower = lowercase(text);
  if (lower == "week")
    return 1;
  if (lower == "2weeks")
    return 2;
  throw Error(ErrorKind::usage, fmt::format("cannot schedule backups every '{}'", text),
              "use --every week or --every 2weeks");
}

bool is_known_time_zone(std::string_view zone) { return TimeZone::find(zone).has_value(); }

void validate(const Cadence& cadence) { validated_zone(cadence); }

UnixTime next_slot_after(const Cadence& cadence, UnixTime time)
{
  const TimeZone zone = validated_zone(cadence);
  const SlotDates dates = slot_dates(cadence, zone);
  // Start one period early: near midnight or a gap, the slot of the day
  // before `time`'s local day can still lie after `time`.
  std::int64_t index = std::max<std::int64_t>(0, periods_until(dates, zone.local_day(time)) - 1);
  while (slot_instant(cadence, zone, dates, index) <= time)
    ++index;
  return slot_instant(cadence, zone, dates, index);
}

std::optional<UnixTime> latest_slot_at_or_before(const Cadence& cadence, UnixTime time)
{
  const TimeZone zone = validated_zone(cadence);
  const SlotDates dates = slot_dates(cadence, zone);
  for (std::int64_t index = periods_until(dates, zone.local_day(time)) + 1; index >= 0; --index) {
    const UnixTime slot = slot_instant(cadence, zone, dates, index);
    if (slot <= time)
      return slot;
  }
  return std::nullopt;
}

std::optional<UnixTime> due_slot(const Cadence& cadence, UnixTime last, UnixTime now)
{
  const std::optional<UnixTime> slot = latest_slot_at_or_before(cadence, now);
  if (slot && *slot > last)
    return slot;
  return std::nullopt;
}

std::string describe(const Cadence& cadence)
{
  validate(cadence);
  return fmt::format("every {} on {} at {:02}:{:02} ({})", cadence.every_weeks == 1 ? "week" : "2 weeks",
                     k_display_names.at(static_cast<std::size_t>(cadence.weekday) - 1), cadence.hour, cadence.minute,
                     cadence.time_zone);
}

std::string format_in_zone(UnixTime time, std::string_view zone) { return zone_named(zone).format(time); }

}  // namespace crm::schedule
