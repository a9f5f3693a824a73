#include "crm/schedule/stored_schedule.hpp"

#include <algorithm>

namespace crm::schedule {

Cadence cadence_of(const catalog::ScheduleRecord& record)
{
  Cadence cadence;
  cadence.every_weeks = record.every_weeks;
  cadence.weekday = static_cast<Weekday>(record.weekday);
  cadence.hour = record.hour;
  cadence.minute = record.minute;
  cadence.time_zone = record.time_zone;
  cadence.anchor = record.enabled_at;
  return cadence;
}

void set_cadence(catalog::ScheduleRecord& record, const Cadence& cadence)
{
  record.every_weeks = cadence.every_weeks;
  record.weekday = static_cast<int>(cadence.weekday);
  record.hour = cadence.hour;
  record.minute = cadence.minute;
  record.time_zone = cadence.time_zone;
  record.enabled_at = cadence.anchor;
}

static bool starts_with_word(std::string_view outcome, std::string_view word)
{
  return outcome.starts_with(word) &&
         (outcome.size() == word.size() || outcome[word.size()] == ':' || outcome[word.size()] == ' ');
}

bool is_ok(std::string_view outcome) { return starts_with_word(outcome, k_outcome_ok); }
bool is_failed(std::string_view outcome) { return starts_with_word(outcome, k_outcome_failed); }

UnixTime handled_until(const catalog::ScheduleRecord& record)
{
  if (!record.last_attempted_slot)
    return record.enabled_at;
  const UnixTime slot = *record.last_attempted_slot;
  const UnixTime handled = is_ok(record.last_outcome) ? slot : slot - 1;
  // A slot handled under an earlier cadence does not count for this one.
  return std::max(handled, record.enabled_at);
}

std::optional<UnixTime> due_slot_of(const catalog::ScheduleRecord& record, UnixTime now)
{
  if (!record.is_enabled)
    return std::nullopt;
  return due_slot(cadence_of(record), handled_until(record), now);
}

std::optional<UnixTime> next_run_of(const catalog::ScheduleRecord& record, UnixTime now)
{
  if (!record.is_enabled)
    return std::nullopt;
  if (due_slot_of(record, now))
    return now;
  return next_slot_after(cadence_of(record), now);
}

}  // namespace crm::schedule
