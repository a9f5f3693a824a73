#include "crm/base/clock.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

#include <ctime>

namespace crm {

UnixTime SystemClock::now() const { return static_cast<UnixTime>(std::time(nullptr)); }

static std::tm to_tm(UnixTime time)
{
  const std::time_t t = static_cast<std::time_t>(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string format_iso8601(UnixTime time)
{
  const std::tm tm = to_tm(time);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

std::string format_human(UnixTime time)
{
  const std::tm tm = to_tm(time);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min);
}

UnixTime parse_iso8601(std::string_view text)
{
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char rest[8] = {};
  const std::string copy(text);
  const int matched_full =
      std::sscanf(copy.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%7s", &year, &month, &day, &hour, &minute, &second, rest);
  const bool is_full = matched_full >= 6 && (rest[0] == '\0' || std::string_view(rest) == "Z");
  const bool is_date = copy.size() == 10 && std::sscanf(copy.c_str(), "%4d-%2d-%2d", &year, &month, &day) == 3;
  if (is_date)
    hour = minute = second = 0;
  if ((!is_full && !is_date) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60)
    throw Error(ErrorKind::data, fmt::format("not an ISO 8601 UTC time: '{}'", text), "use YYYY-MM-DDTHH:MM:SSZ");
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<UnixTime>(timegm(&tm));
}

}  // namespace crm
