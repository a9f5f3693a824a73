// How a zone is opened. Debian's libdate-tz is built with USE_OS_TZDB: it
// reads the compiled zone files under /usr/share/zoneinfo, a directory fixed
// when the library was built (date::set_install exists only in the build that
// reads the text database). So:
// - with TZDIR unset, or naming the system directory, a zone comes from
//   date::locate_zone, the library's documented lookup;
// - with TZDIR naming another directory, the zone file there is opened by the
//   same library's TZif reader, through date::time_zone's own constructor,
//   with a name relative to the library's fixed directory
//   ("../../../srv/tz/Europe/Berlin"): the library opens directory + "/" + name.
//   A unit test pins this with a zone that exists only under a test TZDIR, so
//   a library version that opens zones differently fails a test instead of
//   silently reading the system's zones.
#include "crm/schedule/time_zone.hpp"

// date/tz.h declares date::time_zone's members; tz_private.h defines them, and
// without it a time_zone of our own (the TZDIR case) could not be destroyed.
#include <date/tz.h>
#include <date/tz_private.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace crm::schedule {

namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

// Where Debian's libdate-tz reads zones; TZDIR's default in glibc too.
constexpr std::string_view k_system_zone_directory = "/usr/share/zoneinfo";

// A name, not a path: letters, digits and "/_-+", no "..", no leading "/".
bool is_plain_zone_name(std::string_view name)
{
  return !name.empty() && name.front() != '/' && name.find("..") == std::string_view::npos &&
         std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '/' || c == '_' || c == '-' || c == '+'; });
}

std::filesystem::path zone_directory()
{
  const char* directory = std::getenv("TZDIR");
  return directory && *directory ? std::filesystem::path(directory) : std::filesystem::path(k_system_zone_directory);
}

bool is_system_directory(const std::filesystem::path& directory)
{
  std::error_code error;
  return directory == k_system_zone_directory || std::filesystem::equivalent(directory, k_system_zone_directory, error);
}

// Only compiled zone files: zone.tab, tzdata.zi and friends live there too.
bool is_compiled_zone(const std::filesystem::path& file)
{
  std::ifstream stream(file, std::ios::binary);
  char magic[4] = {};
  return stream.read(magic, sizeof magic) && std::string_view(magic, sizeof magic) == "TZif";
}

// A zone of the system's database, which date reads on first use. date
// builds it once and thread-safely (a function-local static and an atomic
// list head), but inside libdate-tz, which is not built with ThreadSanitizer:
// TSan cannot see that synchronisation and reports other threads' first
// lookups as races. Building it under a static of our own, whose
// initialisation TSan does see, orders every lookup after the build, with no
// suppression needed.
const date::time_zone* locate_system_zone(std::string_view name)
{
  static const date::tzdb& database = date::get_tzdb();
  static_cast<void>(database);
  return date::locate_zone(name);
}

// Throws std::runtime_error (date's) or std::filesystem::filesystem_error
// when the zone cannot be opened.
std::shared_ptr<const date::time_zone> open_zone(std::string_view name)
{
  const std::filesystem::path directory = zone_directory();
  if (!is_compiled_zone(directory / name))
    return nullptr;
  if (is_system_directory(directory)) {
    // The library's database lives until the process ends: the pointer owns nothing.
    return std::shared_ptr<const date::time_zone>(std::shared_ptr<const date::time_zone>(), locate_system_zone(name));
  }
  const std::filesystem::path relative = std::filesystem::relative(directory / name, k_system_zone_directory);
  return std::make_shared<const date::time_zone>(relative.string(), date::detail::undocumented{});
}

}  // namespace

TimeZone::TimeZone(std::shared_ptr<const date::time_zone> zone) : m_zone(std::move(zone)) {}

std::optional<TimeZone> TimeZone::find(std::string_view name)
{
  if (!is_plain_zone_name(name))
    return std::nullopt;
  try {
    std::shared_ptr<const date::time_zone> zone = open_zone(name);
    if (!zone)
      return std::nullopt;
    // The library reads a zone's file on first use: read it now, so that an
    // unreadable file makes an unknown zone here, not a failed conversion later.
    zone->get_info(sys_seconds{});
    return TimeZone(std::move(zone));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::int64_t TimeZone::offset_at(UnixTime time) const
{
  return m_zone->get_info(sys_seconds{seconds{time}}).offset.count();
}

sys_days TimeZone::local_day(UnixTime time) const { return floor<days>(sys_seconds{seconds{time + offset_at(time)}}); }

UnixTime TimeZone::instant_of(sys_days day, int hour, int minute) const
{
  const seconds wall = sys_seconds{day}.time_since_epoch() + std::chrono::hours{hour} + std::chrono::minutes{minute};
  const date::local_info info = m_zone->get_info(date::local_seconds{wall});
  if (info.result == date::local_info::nonexistent)
    return info.second.begin.time_since_epoch().count();
  // Unique, or ambiguous: `first` is the offset in force before the fold,
  // which gives the earlier of the two instants.
  return (wall - info.first.offset).count();
}

std::string TimeZone::format(UnixTime time) const
{
  const date::sys_info info = m_zone->get_info(sys_seconds{seconds{time}});
  const sys_seconds local{seconds{time} + info.offset};
  const sys_days day = floor<days>(local);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{local - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} {}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), clock.hours().count(),
                     clock.minutes().count(), info.abbrev);
}

}  // namespace crm::schedule
