#include "support/temp_dir.hpp"

#include <crm/base/clock.hpp>
#include <crm/schedule/time_zone.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace crm::schedule;
using crm::parse_iso8601;
using crm::UnixTime;
using std::chrono::sys_days;

namespace {

constexpr std::int64_t k_minute = 60;
constexpr std::int64_t k_hour = 60 * k_minute;

TimeZone zone(std::string_view name)
{
  const std::optional<TimeZone> found = TimeZone::find(name);
  REQUIRE(found);
  return *found;
}

sys_days day(int year, unsigned month, unsigned day_of_month)
{
  return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day_of_month}};
}

// Sets an environment variable for one test and puts the old value back.
// Test code only: the library never changes the environment.
class ScopedEnvironment {
public:
  ScopedEnvironment(const char* name, const std::string& value) : m_name(name)
  {
    if (const char* saved = std::getenv(name))
      m_saved = saved;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnvironment()
  {
    if (m_saved)
      ::setenv(m_name, m_saved->c_str(), 1);
    else
      ::unsetenv(m_name);
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
  const char* m_name;
  std::optional<std::string> m_saved;
};

}  // namespace

TEST_CASE("a time zone is found by its tz database name, never by a path", "[schedule]")
{
  CHECK(TimeZone::find("Europe/Berlin"));
  CHECK(TimeZone::find("UTC"));
  CHECK(TimeZone::find("America/Argentina/Buenos_Aires"));
  for (const char* name : {"Mars/Base", "", "Europe", "../../etc/passwd", "/usr/share/zoneinfo/UTC", "zone.tab",
                           "tzdata.zi", "Europe/Berlin/", "Europe/../UTC", "Europe/Berlin\n"})
    CHECK_FALSE(TimeZone::find(name));
}

TEST_CASE("a time zone knows its offset and shows its clock and abbreviation", "[schedule]")
{
  const UnixTime winter = parse_iso8601("2026-01-15T12:00:00Z");
  const UnixTime summer = parse_iso8601("2026-07-15T12:00:00Z");
  CHECK(zone("UTC").offset_at(winter) == 0);
  CHECK(zone("Europe/Berlin").offset_at(winter) == 1 * k_hour);
  CHECK(zone("Europe/Berlin").offset_at(summer) == 2 * k_hour);
  CHECK(zone("America/New_York").offset_at(winter) == -5 * k_hour);
  CHECK(zone("Europe/Berlin").format(summer) == "2026-07-15 14:00 CEST");
  CHECK(zone("America/New_York").format(winter) == "2026-01-15 07:00 EST");
  CHECK(zone("UTC").format(winter) == "2026-01-15 12:00 UTC");
}

TEST_CASE("zones with 30- and 45-minute offsets", "[schedule]")
{
  const UnixTime january = parse_iso8601("2026-01-03T20:00:00Z");
  const UnixTime july = parse_iso8601("2026-07-03T20:00:00Z");
  // India and Nepal: +05:30 and +05:45 all year.
  CHECK(zone("Asia/Kolkata").offset_at(january) == 5 * k_hour + 30 * k_minute);
  CHECK(zone("Asia/Kolkata").format(january) == "2026-01-04 01:30 IST");
  CHECK(zone("Asia/Kathmandu").offset_at(january) == 5 * k_hour + 45 * k_minute);
  CHECK(zone("Asia/Kathmandu").format(january) == "2026-01-04 01:45 +0545");
  // Eucla: +08:45 all year. Adelaide: +09:30, +10:30 in the southern summer.
  CHECK(zone("Australia/Eucla").offset_at(july) == 8 * k_hour + 45 * k_minute);
  CHECK(zone("Australia/Adelaide").offset_at(july) == 9 * k_hour + 30 * k_minute);
  CHECK(zone("Australia/Adelaide").offset_at(january) == 10 * k_hour + 30 * k_minute);
  CHECK(zone("Australia/Adelaide").format(january) == "2026-01-04 06:30 ACDT");

  // The local day turns at local midnight, not at a whole hour of UTC.
  CHECK(zone("Asia/Kathmandu").local_day(parse_iso8601("2026-01-03T18:14:59Z")) == day(2026, 1, 3));
  CHECK(zone("Asia/Kathmandu").local_day(parse_iso8601("2026-01-03T18:15:00Z")) == day(2026, 1, 4));
  CHECK(zone("Asia/Kathmandu").instant_of(day(2026, 1, 4), 2, 30) == parse_iso8601("2026-01-03T20:45:00Z"));
  CHECK(zone("Asia/Kolkata").instant_of(day(2026, 1, 4), 2, 30) == parse_iso8601("2026-01-03T21:00:00Z"));
  CHECK(zone("Australia/Eucla").instant_of(day(2026, 1, 4), 2, 30) == parse_iso8601("2026-01-03T17:45:00Z"));
  CHECK(zone("Australia/Adelaide").instant_of(day(2026, 7, 5), 2, 30) == parse_iso8601("2026-07-04T17:00:00Z"));
}

TEST_CASE("a wall-clock time in a spring-forward gap is the end of the gap", "[schedule]")
{
  // Berlin 2026-03-29: 02:00 CET -> 03:00 CEST at 01:00 UTC.
  CHECK(zone("Europe/Berlin").instant_of(day(2026, 3, 29), 2, 30) == parse_iso8601("2026-03-29T01:00:00Z"));
  CHECK(zone("Europe/Berlin").instant_of(day(2026, 3, 29), 2, 0) == parse_iso8601("2026-03-29T01:00:00Z"));
  CHECK(zone("Europe/Berlin").instant_of(day(2026, 3, 29), 3, 0) == parse_iso8601("2026-03-29T01:00:00Z"));
  CHECK(zone("Europe/Berlin").instant_of(day(2026, 3, 29), 1, 59) == parse_iso8601("2026-03-29T00:59:00Z"));
  // New York 2026-03-08: 02:00 EST -> 03:00 EDT at 07:00 UTC.
  CHECK(zone("America/New_York").instant_of(day(2026, 3, 8), 2, 30) == parse_iso8601("2026-03-08T07:00:00Z"));
  // Adelaide 2026-10-04: 02:00 ACST -> 03:00 ACDT at 16:30 UTC.
  CHECK(zone("Australia/Adelaide").instant_of(day(2026, 10, 4), 2, 30) == parse_iso8601("2026-10-03T16:30:00Z"));
  // Lord Howe moves its clocks by 30 minutes: 02:00 -> 02:30 at 15:30 UTC.
  CHECK(zone("Australia/Lord_Howe").instant_of(day(2026, 10, 4), 2, 15) == parse_iso8601("2026-10-03T15:30:00Z"));
  CHECK(zone("Australia/Lord_Howe").format(parse_iso8601("2026-10-03T15:30:00Z")) == "2026-10-04 02:30 +11");
}

TEST_CASE("a wall-clock time in the repeated hour of an autumn fold is its first occurrence", "[schedule]")
{
  // Berlin 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 is 00:30 and 01:30 UTC.
  CHECK(zone("Europe/Berlin").instant_of(day(2026, 10, 25), 2, 30) == parse_iso8601("2026-10-25T00:30:00Z"));
  CHECK(zone("Europe/Berlin").format(parse_iso8601("2026-10-25T00:30:00Z")) == "2026-10-25 02:30 CEST");
  CHECK(zone("Europe/Berlin").format(parse_iso8601("2026-10-25T01:30:00Z")) == "2026-10-25 02:30 CET");
  // New York 2026-11-01: 02:00 EDT -> 01:00 EST; 01:30 is 05:30 and 06:30 UTC.
  CHECK(zone("America/New_York").instant_of(day(2026, 11, 1), 1, 30) == parse_iso8601("2026-11-01T05:30:00Z"));
  // Adelaide 2026-04-05: 03:00 ACDT -> 02:00 ACST.
  CHECK(zone("Australia/Adelaide").instant_of(day(2026, 4, 5), 2, 30) == parse_iso8601("2026-04-04T16:00:00Z"));
  // Lord Howe 2026-04-05: 02:00 +11 -> 01:30 +1030; 01:45 happens twice.
  CHECK(zone("Australia/Lord_Howe").instant_of(day(2026, 4, 5), 1, 45) == parse_iso8601("2026-04-04T14:45:00Z"));
}

TEST_CASE("time zones ignore the process's TZ", "[schedule]")
{
  const ScopedEnvironment machine_zone("TZ", "Asia/Tokyo");
  CHECK(zone("Europe/Berlin").offset_at(parse_iso8601("2026-01-15T12:00:00Z")) == k_hour);
  CHECK(zone("Europe/Berlin").format(parse_iso8601("2026-01-15T12:00:00Z")) == "2026-01-15 13:00 CET");
  CHECK(std::string(std::getenv("TZ")) == "Asia/Tokyo");
}

TEST_CASE("zones are read from TZDIR when it is set", "[schedule]")
{
  // A zone that exists only in the test's TZDIR: Kathmandu's rules under another name.
  const crm::test::TempDir tzdir("tzdir");
  std::filesystem::create_directories(tzdir / "Test");
  std::filesystem::copy_file("/usr/share/zoneinfo/Asia/Kathmandu", tzdir / "Test" / "Nepal");
  std::filesystem::copy_file("/usr/share/zoneinfo/zone.tab", tzdir / "zone.tab");
  const UnixTime time = parse_iso8601("2026-01-03T20:00:00Z");
  {
    const ScopedEnvironment zone_directory("TZDIR", tzdir.path().string());
    const std::optional<TimeZone> nepal = TimeZone::find("Test/Nepal");
    REQUIRE(nepal);
    CHECK(nepal->offset_at(time) == 5 * k_hour + 45 * k_minute);
    CHECK(nepal->format(time) == "2026-01-04 01:45 +0545");
    CHECK(nepal->instant_of(day(2026, 1, 4), 2, 30) == parse_iso8601("2026-01-03T20:45:00Z"));
    // Zones of the system's database that TZDIR lacks do not exist.
    CHECK_FALSE(TimeZone::find("Europe/Berlin"));
    CHECK_FALSE(TimeZone::find("zone.tab"));
  }
  {
    const ScopedEnvironment zone_directory("TZDIR", "/usr/share/zoneinfo");
    CHECK(TimeZone::find("Europe/Berlin"));
  }
  CHECK_FALSE(TimeZone::find("Test/Nepal"));
}

TEST_CASE("time zones convert in many threads at once", "[schedule][threads]")
{
  // Under ThreadSanitizer (CRM_SANITIZE=thread) this shows that converting
  // shares no unsynchronised state: each thread finds zones and converts.
  const std::vector<std::string> names{"Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Adelaide"};
  const UnixTime start = parse_iso8601("2026-01-01T00:00:00Z");
  const UnixTime end = parse_iso8601("2027-01-01T00:00:00Z");
  std::vector<std::int64_t> sums(8, 0);
  std::vector<std::thread> threads;
  for (std::size_t index = 0; index < sums.size(); ++index)
    threads.emplace_back([&, index] {
      // Catch's assertions are not thread-safe: value() throws (and the test dies) instead.
      const TimeZone time_zone = TimeZone::find(names[index % names.size()]).value();
      for (UnixTime time = start; time < end; time += 24 * k_hour)
        sums[index] += time_zone.offset_at(time) + time_zone.instant_of(time_zone.local_day(time), 2, 30) - time;
    });
  for (std::thread& thread : threads)
    thread.join();
  for (std::size_t index = names.size(); index < sums.size(); ++index)
    CHECK(sums[index] == sums[index - names.size()]);
}
