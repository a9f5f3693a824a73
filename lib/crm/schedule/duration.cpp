#include "crm/schedule/duration.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

#include <array>
#include <utility>

namespace crm::schedule {

namespace {

constexpr std::int64_t k_minute = 60;
constexpr std::int64_t k_hour = 60 * k_minute;
constexpr std::int64_t k_day = 24 * k_hour;
constexpr std::int64_t k_week = 7 * k_day;
// Ten years: beyond that the number is a typo, and the sums below cannot overflow.
constexpr std::int64_t k_longest = 3650 * k_day;

std::int64_t unit_seconds(char unit)
{
  switch (unit) {
  case 's': return 1;
  case 'm': return k_minute;
  case 'h': return k_hour;
  case 'd': return k_day;
  case 'w': return k_week;
  default: return 0;
  }
}

[[noreturn]] void refuse(std::string_view text)
{
  throw Error(ErrorKind::usage, fmt::format("not a duration: '{}'", text),
              "write a number and a unit (s, m, h, d, w), for example 36h or 8d");
}

}  // namespace

std::int64_t parse_duration(std::string_view text)
{
  if (text.empty())
    refuse(text);
  std::int64_t total = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    std::int64_t number = 0;
    const std::size_t digits_start = position;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
      number = number * 10 + (text[position] - '0');
      if (number > k_longest)
        refuse(text);
      ++position;
    }
    if (position == digits_start || position == text.size())
      refuse(text);
    const std::int64_t unit = unit_seconds(text[position]);
    if (unit == 0)
      refuse(text);
    ++position;
    total += number * unit;
    if (total > k_longest)
      refuse(text);
  }
  if (total == 0)
    throw Error(ErrorKind::usage, fmt::format("duration '{}' is zero", text), "give a positive duration such as 36h");
  return total;
}

std::string format_duration(std::int64_t seconds)
{
  if (seconds < 0)
    seconds = 0;
  static constexpr std::array<std::pair<std::int64_t, char>, 4> k_units{
      {{k_day, 'd'}, {k_hour, 'h'}, {k_minute, 'm'}, {1, 's'}}};
  for (std::size_t index = 0; index < k_units.size(); ++index) {
    const auto [size, name] = k_units[index];
    if (seconds < size && size != 1)
      continue;
    const std::int64_t whole = seconds / size;
    std::string text = fmt::format("{}{}", whole, name);
    if (index + 1 < k_units.size()) {
      const auto [next_size, next_name] = k_units[index + 1];
      const std::int64_t rest = (seconds % size) / next_size;
      if (rest > 0)
        text += fmt::format(" {}{}", rest, next_name);
    }
    return text;
  }
  return "0s";
}

}  // namespace crm::schedule
