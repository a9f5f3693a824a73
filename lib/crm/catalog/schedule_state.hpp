#pragma once
// The schedule crm-schedule keeps in the repository's catalog: its cadence and
// which slot it handled last (schedule_record.hpp). Got from
// Repository::schedule(); valid while that repository is.

#include <crm/catalog/catalog.hpp>
#include <crm/catalog/schedule_record.hpp>

#include <optional>

namespace crm::catalog {

class ScheduleState {
public:
  // `is_writable`: the repository was opened to write or create; set refuses
  // (Error(internal), a bug) otherwise.
  ScheduleState(Catalog& catalog, bool is_writable) : m_catalog(catalog), m_is_writable(is_writable) {}

  // None until a schedule was first enabled.
  std::optional<ScheduleRecord> get() const;
  void set(const ScheduleRecord& schedule);

private:
  Catalog& m_catalog;
  bool m_is_writable;
};

}  // namespace crm::catalog
