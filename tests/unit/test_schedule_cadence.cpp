#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/schedule/cadence.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

using namespace crm::schedule;
using crm::parse_iso8601;
using crm::UnixTime;

namespace {

constexpr std::int64_t k_hour = 3600;
constexpr std::int64_t k_day = 24 * k_hour;

Cadence cadence(int every_weeks, Weekday weekday, int hour, int minute, std::string zone, std::string_view anchor)
{
  return Cadence{every_weeks, weekday, hour, minute, std::move(zone), parse_iso8601(anchor)};
}

// Every slot from the cadence's anchor up to `until`.
std::vector<UnixTime> slots_until(const Cadence& schedule, std::string_view until)
{
  std::vector<UnixTime> slots;
  for (UnixTime slot = next_slot_after(schedule, schedule.anchor); slot <= parse_iso8601(until);
       slot = next_slot_after(schedule, slot))
    slots.push_back(slot);
  return slots;
}

// The slots that `crm-schedule run`, called every 10 minutes from `from` to
// `until`, backs up: each run handles the newest due slot, as run.cpp does.
// Runs before `from` handled every slot before it.
std::vector<UnixTime> runs_between(const Cadence& schedule, std::string_view from, std::string_view until)
{
  std::vector<UnixTime> handled;
  UnixTime last = latest_slot_at_or_before(schedule, parse_iso8601(from)).value_or(schedule.anchor);
  for (UnixTime now = parse_iso8601(from); now <= parse_iso8601(until); now += 10 * 60)
    if (const std::optional<UnixTime> slot = due_slot(schedule, last, now)) {
      handled.push_back(*slot);
      last = *slot;
    }
  return handled;
}

// "2026-03-29" from "2026-03-29 03:00 CEST".
std::string local_date(UnixTime time, std::string_view zone) { return format_in_zone(time, zone).substr(0, 10); }
std::string local_clock(UnixTime time, std::string_view zone) { return format_in_zone(time, zone).substr(11, 5); }

crm::ErrorKind kind_of(const std::function<void()>& action)
{
  try {
    action();
  } catch (const crm::Error& error) {
    return error.kind();
  }
  FAIL("no error thrown");
  return crm::ErrorKind::internal;
}

}  // namespace

TEST_CASE("weekdays parse from their short and long English names", "[schedule]")
{
  CHECK(parse_weekday("mon") == Weekday::monday);
  CHECK(parse_weekday("Sunday") == Weekday::sunday);
  CHECK(parse_weekday("SAT") == Weekday::saturday);
  CHECK(to_string(Weekday::wednesday) == "wed");
  CHECK(kind_of([] { parse_weekday("mo"); }) == crm::ErrorKind::usage);
  CHECK(kind_of([] { parse_weekday(""); }) == crm::ErrorKind::usage);
}

TEST_CASE("a time of day is HH:MM on a 24-hour clock", "[schedule]")
{
  CHECK(parse_time_of_day("02:00").hour == 2);
  CHECK(parse_time_of_day("23:59").minute == 59);
  CHECK(parse_time_of_day("7:05").hour == 7);
  for (const char* bad : {"24:00", "12:60", "2", "02:0", "02:000", "ab:cd", ":30", "-1:30", "02:30pm", ""})
    CHECK(kind_of([bad] { parse_time_of_day(bad); }) == crm::ErrorKind::usage);
}

TEST_CASE("a schedule runs every week or every 2weeks", "[schedule]")
{
  CHECK(parse_every("week") == 1);
  CHECK(parse_every("2weeks") == 2);
  CHECK(kind_of([] { parse_every("day"); }) == crm::ErrorKind::usage);
  CHECK(kind_of([] { parse_every("3weeks"); }) == crm::ErrorKind::usage);
}

TEST_CASE("an unknown time zone is a usage error", "[schedule]")
{
  for (const char* zone : {"Mars/Base", "", "../../etc/passwd", "/usr/share/zoneinfo/UTC", "zone.tab"}) {
    const Cadence schedule = cadence(1, Weekday::monday, 2, 0, zone, "2026-01-01");
    CHECK(kind_of([&] { next_slot_after(schedule, 0); }) == crm::ErrorKind::usage);
  }
  CHECK(is_known_time_zone("Europe/Berlin"));
  CHECK(is_known_time_zone("UTC"));
}

TEST_CASE("a cadence of three weeks or a time out of range is a usage error", "[schedule]")
{
  CHECK(kind_of([] { validate(cadence(3, Weekday::monday, 2, 0, "UTC", "2026-01-01")); }) == crm::ErrorKind::usage);
  CHECK(kind_of([] { validate(cadence(1, Weekday::monday, 24, 0, "UTC", "2026-01-01")); }) == crm::ErrorKind::usage);
  CHECK(kind_of([] { validate(cadence(1, static_cast<Weekday>(0), 2, 0, "UTC", "2026-01-01")); }) ==
        crm::ErrorKind::usage);
}

TEST_CASE("the first slot is the first matching time after the schedule was enabled", "[schedule]")
{
  // 2026-01-04 is a Sunday.
  CHECK(next_slot_after(cadence(1, Weekday::sunday, 2, 30, "UTC", "2026-01-04T01:00:00Z"),
                        parse_iso8601("2026-01-04T01:00:00Z")) == parse_iso8601("2026-01-04T02:30:00Z"));
  CHECK(next_slot_after(cadence(1, Weekday::sunday, 2, 30, "UTC", "2026-01-04T02:30:00Z"),
                        parse_iso8601("2026-01-04T02:30:00Z")) == parse_iso8601("2026-01-11T02:30:00Z"));
  CHECK(next_slot_after(cadence(2, Weekday::monday, 9, 0, "UTC", "2026-01-07T00:00:00Z"), 0) ==
        parse_iso8601("2026-01-12T09:00:00Z"));
}

TEST_CASE("a year of weekly Sunday 02:30 slots in Europe/Berlin keeps the wall clock across DST", "[schedule]")
{
  const Cadence schedule = cadence(1, Weekday::sunday, 2, 30, "Europe/Berlin", "2026-01-01T00:00:00Z");
  const std::vector<UnixTime> slots = slots_until(schedule, "2026-12-31T23:59:59Z");
  REQUIRE(slots.size() == 52);
  CHECK(local_date(slots.front(), "Europe/Berlin") == "2026-01-04");
  for (std::size_t index = 0; index < slots.size(); ++index) {
    const std::string date = local_date(slots[index], "Europe/Berlin");
    // 2026-03-29 02:30 does not exist in Berlin: clocks jump from 02:00 to 03:00.
    CHECK(local_clock(slots[index], "Europe/Berlin") == (date == "2026-03-29" ? "03:00" : "02:30"));
    if (index > 0) {
      const std::int64_t gap = slots[index] - slots[index - 1];
      CHECK(gap >= 7 * k_day - k_hour);
      CHECK(gap <= 7 * k_day + k_hour);
    }
  }
  CHECK(next_slot_after(schedule, parse_iso8601("2026-03-23T00:00:00Z")) == parse_iso8601("2026-03-29T01:00:00Z"));
  CHECK(next_slot_after(schedule, parse_iso8601("2026-03-30T00:00:00Z")) == parse_iso8601("2026-04-05T00:30:00Z"));
  // 2026-10-25 02:30 happens twice in Berlin: the slot is the first, in summer time.
  CHECK(next_slot_after(schedule, parse_iso8601("2026-10-19T00:00:00Z")) == parse_iso8601("2026-10-25T00:30:00Z"));
  CHECK(next_slot_after(schedule, parse_iso8601("2026-10-25T00:30:00Z")) == parse_iso8601("2026-11-01T01:30:00Z"));
}

TEST_CASE("a year of biweekly Sunday 02:30 slots in America/New_York keeps its parity", "[schedule]")
{
  // Enabled on Tuesday 2026-01-06: the first slot is Sunday 2026-01-11, then every second Sunday.
  const Cadence schedule = cadence(2, Weekday::sunday, 2, 30, "America/New_York", "2026-01-06T15:00:00Z");
  const std::vector<UnixTime> slots = slots_until(schedule, "2026-12-31T23:59:59Z");
  REQUIRE(slots.size() == 26);
  CHECK(local_date(slots.front(), "America/New_York") == "2026-01-11");
  for (std::size_t index = 1; index < slots.size(); ++index) {
    const std::int64_t gap = slots[index] - slots[index - 1];
    CHECK(gap >= 14 * k_day - k_hour);
    CHECK(gap <= 14 * k_day + k_hour);
  }
  // 2026-03-08 02:30 does not exist in New York: the slot is 03:00 EDT.
  CHECK(next_slot_after(schedule, parse_iso8601("2026-03-01T00:00:00Z")) == parse_iso8601("2026-03-08T07:00:00Z"));
  CHECK(local_clock(parse_iso8601("2026-03-08T07:00:00Z"), "America/New_York") == "03:00");
  CHECK(next_slot_after(schedule, parse_iso8601("2026-03-08T07:00:00Z")) == parse_iso8601("2026-03-22T06:30:00Z"));
}

TEST_CASE("a slot at an hour that happens twice runs once, at its first occurrence", "[schedule]")
{
  // New York falls back on 2026-11-01 from 02:00 EDT to 01:00 EST.
  const Cadence schedule = cadence(1, Weekday::sunday, 1, 30, "America/New_York", "2026-10-01T00:00:00Z");
  const UnixTime slot = next_slot_after(schedule, parse_iso8601("2026-10-26T00:00:00Z"));
  CHECK(slot == parse_iso8601("2026-11-01T05:30:00Z"));
  CHECK(next_slot_after(schedule, slot) == parse_iso8601("2026-11-08T06:30:00Z"));
  CHECK_FALSE(due_slot(schedule, slot, slot + k_hour));
}

TEST_CASE("a 02:30 slot on the spring-forward night runs once, at the end of the gap", "[schedule]")
{
  // Berlin 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST at 01:00 UTC.
  const Cadence berlin = cadence(1, Weekday::sunday, 2, 30, "Europe/Berlin", "2026-03-23T00:00:00Z");
  const std::vector<UnixTime> berlin_runs = runs_between(berlin, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z");
  REQUIRE(berlin_runs.size() == 1);
  CHECK(berlin_runs.front() == parse_iso8601("2026-03-29T01:00:00Z"));
  CHECK(format_in_zone(berlin_runs.front(), "Europe/Berlin") == "2026-03-29 03:00 CEST");

  // New York 2026-03-08: clocks jump from 02:00 EST to 03:00 EDT at 07:00 UTC.
  const Cadence new_york = cadence(1, Weekday::sunday, 2, 30, "America/New_York", "2026-03-02T00:00:00Z");
  const std::vector<UnixTime> new_york_runs = runs_between(new_york, "2026-03-07T12:00:00Z", "2026-03-08T18:00:00Z");
  REQUIRE(new_york_runs.size() == 1);
  CHECK(new_york_runs.front() == parse_iso8601("2026-03-08T07:00:00Z"));
  CHECK(format_in_zone(new_york_runs.front(), "America/New_York") == "2026-03-08 03:00 EDT");
}

TEST_CASE("a slot in the repeated hour of the autumn fold runs once, at the first of the two", "[schedule]")
{
  // Berlin 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 is both 00:30 and 01:30 UTC.
  const Cadence berlin = cadence(1, Weekday::sunday, 2, 30, "Europe/Berlin", "2026-10-19T00:00:00Z");
  const std::vector<UnixTime> berlin_runs = runs_between(berlin, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z");
  REQUIRE(berlin_runs.size() == 1);
  CHECK(berlin_runs.front() == parse_iso8601("2026-10-25T00:30:00Z"));
  CHECK(format_in_zone(berlin_runs.front(), "Europe/Berlin") == "2026-10-25 02:30 CEST");

  // New York 2026-11-01: 02:00 EDT -> 01:00 EST; 01:30 is both 05:30 and 06:30 UTC.
  const Cadence new_york = cadence(1, Weekday::sunday, 1, 30, "America/New_York", "2026-10-26T00:00:00Z");
  const std::vector<UnixTime> new_york_runs = runs_between(new_york, "2026-10-31T12:00:00Z", "2026-11-01T18:00:00Z");
  REQUIRE(new_york_runs.size() == 1);
  CHECK(new_york_runs.front() == parse_iso8601("2026-11-01T05:30:00Z"));
  CHECK(format_in_zone(new_york_runs.front(), "America/New_York") == "2026-11-01 01:30 EDT");
}

TEST_CASE("slots in zones with 30- and 45-minute offsets fall on the local day and time", "[schedule]")
{
  // Sunday 2026-01-04 02:30 local.
  CHECK(next_slot_after(cadence(1, Weekday::sunday, 2, 30, "Asia/Kathmandu", "2026-01-01T00:00:00Z"), 0) ==
        parse_iso8601("2026-01-03T20:45:00Z"));
  CHECK(next_slot_after(cadence(1, Weekday::sunday, 2, 30, "Australia/Eucla", "2026-01-01T00:00:00Z"), 0) ==
        parse_iso8601("2026-01-03T17:45:00Z"));
  // Monday 00:15 in Kolkata is still Sunday in UTC.
  CHECK(next_slot_after(cadence(1, Weekday::monday, 0, 15, "Asia/Kolkata", "2026-01-01T00:00:00Z"), 0) ==
        parse_iso8601("2026-01-04T18:45:00Z"));

  // Adelaide (+09:30, +10:30 in summer) keeps 02:30 local through both of its changes.
  const Cadence adelaide = cadence(1, Weekday::sunday, 2, 30, "Australia/Adelaide", "2026-01-01T00:00:00Z");
  const std::vector<UnixTime> slots = slots_until(adelaide, "2026-12-31T23:59:59Z");
  REQUIRE(slots.size() == 52);
  for (const UnixTime slot : slots) {
    // 2026-10-04 02:30 does not exist in Adelaide: clocks jump from 02:00 to 03:00.
    const bool is_gap_night = local_date(slot, "Australia/Adelaide") == "2026-10-04";
    CHECK(local_clock(slot, "Australia/Adelaide") == (is_gap_night ? "03:00" : "02:30"));
  }
  // 2026-04-05 02:30 happens twice (03:00 ACDT -> 02:00 ACST): the first, in summer time.
  CHECK(next_slot_after(adelaide, parse_iso8601("2026-04-01T00:00:00Z")) == parse_iso8601("2026-04-04T16:00:00Z"));
  CHECK(runs_between(adelaide, "2026-04-04T00:00:00Z", "2026-04-05T00:00:00Z") ==
        std::vector<UnixTime>{parse_iso8601("2026-04-04T16:00:00Z")});
}

TEST_CASE("slots do not depend on the time zone of the machine that computes them", "[schedule]")
{
  const Cadence schedule = cadence(2, Weekday::sunday, 2, 30, "America/New_York", "2026-01-06T15:00:00Z");
  const char* saved = std::getenv("TZ");
  const std::string before = saved ? saved : "";
  ::unsetenv("TZ");
  const std::vector<UnixTime> without_tz = slots_until(schedule, "2026-12-31T23:59:59Z");
  for (const char* machine_zone : {"UTC", "Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe"}) {
    ::setenv("TZ", machine_zone, 1);
    CHECK(slots_until(schedule, "2026-12-31T23:59:59Z") == without_tz);
  }
  if (saved)
    ::setenv("TZ", before.c_str(), 1);
  else
    ::unsetenv("TZ");
}

TEST_CASE("a machine off for a month catches up once, with the newest missed slot", "[schedule]")
{
  const Cadence schedule = cadence(1, Weekday::monday, 2, 0, "Europe/Berlin", "2026-01-01T00:00:00Z");
  const UnixTime first = next_slot_after(schedule, schedule.anchor);
  CHECK(first == parse_iso8601("2026-01-05T01:00:00Z"));
  CHECK(due_slot(schedule, schedule.anchor, first) == first);
  CHECK_FALSE(due_slot(schedule, first, first + 6 * k_day));

  // Off from Jan 5 until Feb 11: the Jan 12, 19, 26 and Feb 2 and 9 slots were missed.
  const UnixTime back = parse_iso8601("2026-02-11T08:00:00Z");
  const std::optional<UnixTime> due = due_slot(schedule, first, back);
  CHECK(due == parse_iso8601("2026-02-09T01:00:00Z"));
  CHECK_FALSE(due_slot(schedule, *due, back));
  CHECK(next_slot_after(schedule, back) == parse_iso8601("2026-02-16T01:00:00Z"));
}

TEST_CASE("catching up on a biweekly schedule keeps its weeks", "[schedule]")
{
  const Cadence schedule = cadence(2, Weekday::friday, 22, 0, "UTC", "2026-01-01T00:00:00Z");
  const UnixTime first = next_slot_after(schedule, schedule.anchor);
  CHECK(first == parse_iso8601("2026-01-02T22:00:00Z"));
  // Off for five weeks: the slots of Jan 16 and Jan 30 were missed; Feb 6 is not a slot.
  const std::optional<UnixTime> due = due_slot(schedule, first, parse_iso8601("2026-02-07T12:00:00Z"));
  CHECK(due == parse_iso8601("2026-01-30T22:00:00Z"));
  CHECK(next_slot_after(schedule, *due) == parse_iso8601("2026-02-13T22:00:00Z"));
  CHECK((*due - first) % (14 * k_day) == 0);
}

TEST_CASE("nothing is due before the first slot", "[schedule]")
{
  const Cadence schedule = cadence(1, Weekday::monday, 2, 0, "UTC", "2026-01-06T00:00:00Z");
  CHECK_FALSE(due_slot(schedule, schedule.anchor, parse_iso8601("2026-01-12T01:59:59Z")));
  CHECK_FALSE(latest_slot_at_or_before(schedule, parse_iso8601("2026-01-12T01:59:59Z")));
  CHECK(due_slot(schedule, schedule.anchor, parse_iso8601("2026-01-12T02:00:00Z")) ==
        parse_iso8601("2026-01-12T02:00:00Z"));
}

TEST_CASE("time zone conversions leave the process's TZ as it was", "[schedule]")
{
  const char* saved = std::getenv("TZ");
  const std::string before = saved ? saved : "";
  ::setenv("TZ", "America/New_York", 1);
  next_slot_after(cadence(1, Weekday::monday, 2, 0, "Europe/Berlin", "2026-01-01"), 0);
  CHECK(std::string(std::getenv("TZ")) == "America/New_York");
  if (saved)
    ::setenv("TZ", before.c_str(), 1);
  else
    ::unsetenv("TZ");
}

TEST_CASE("a cadence describes itself and shows times on the user's clock", "[schedule]")
{
  CHECK(describe(cadence(2, Weekday::sunday, 2, 30, "Europe/Berlin", "2026-01-01")) ==
        "every 2 weeks on Sunday at 02:30 (Europe/Berlin)");
  CHECK(describe(cadence(1, Weekday::monday, 9, 5, "UTC", "2026-01-01")) == "every week on Monday at 09:05 (UTC)");
  CHECK(format_in_zone(parse_iso8601("2026-03-29T01:00:00Z"), "Europe/Berlin") == "2026-03-29 03:00 CEST");
}
