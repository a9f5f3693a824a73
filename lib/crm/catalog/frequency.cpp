#include "crm/catalog/frequency.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

namespace crm::catalog {

namespace {

constexpr std::int64_t k_minute = 60;
constexpr std::int64_t k_hour = 60 * k_minute;
constexpr std::int64_t k_day = 24 * k_hour;

std::string count_of(std::int64_t count, std::string_view unit)
{
  return fmt::format("{} {}{}", count, unit, count == 1 ? "" : "s");
}

}  // namespace

std::string describe_interval(std::int64_t seconds)
{
  if (seconds > k_day && seconds % k_day == 0)
    return count_of(seconds / k_day, "day");
  if (seconds % k_hour == 0)
    return count_of(seconds / k_hour, "hour");
  if (seconds % k_minute == 0)
    return count_of(seconds / k_minute, "minute");
  return count_of(seconds, "second");
}

UnixTime next_backup_allowed_at(const FrequencyLimit& limit, UnixTime last_backup_at)
{
  return last_backup_at + limit.min_interval_seconds;
}

void check_frequency(const FrequencyLimit& limit, std::optional<UnixTime> last_backup_at, UnixTime now)
{
  if (!last_backup_at || limit.min_interval_seconds <= 0)
    return;
  const UnixTime allowed_at = next_backup_allowed_at(limit, *last_backup_at);
  if (now >= allowed_at)
    return;
  throw Error(ErrorKind::temp_fail,
              fmt::format("backup refused: the {} plan allows one backup every {}; next backup allowed at {}",
                          limit.plan_name, describe_interval(limit.min_interval_seconds), format_human(allowed_at)),
              "run again after that time");
}

}  // namespace crm::catalog
