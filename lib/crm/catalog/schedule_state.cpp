#include "crm/catalog/schedule_state.hpp"

#include <crm/catalog/read_only_refusal.hpp>

namespace crm::catalog {

std::optional<ScheduleRecord> ScheduleState::get() const { return m_catalog.schedule(); }

void ScheduleState::set(const ScheduleRecord& schedule)
{
  if (!m_is_writable)
    throw read_only_refusal("change the schedule");
  m_catalog.set_schedule(schedule);
}

}  // namespace crm::catalog
