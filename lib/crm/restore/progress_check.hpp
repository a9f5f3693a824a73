#pragma once
// Where the store stands against a plan, record by record: each change the
// plan makes is still to do (the record holds the plan's "before" values),
// done (it holds the "after" values) or drifted (deleted, or changed by
// someone else). The plan's records are read by id (store::Reader::
// read_records: one merged scan on the embedded store, batch reads on
// HubSpot); memory holds one bit per change.
//
// Apply uses it as its drift check, and to continue a run that a kill or a
// failure interrupted on a batch-by-batch backend without writing any record
// twice; status uses it to tell how far an interrupted run got.

#include <crm/restore/plan.hpp>
#include <crm/store/store.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace crm::restore {

struct PlanProgress {
  std::vector<bool> is_done;  // per change, in plan order
  std::int64_t done = 0;
  std::int64_t to_do = 0;
  // The first drifted record, said as "record 12 of deals was deleted".
  std::optional<std::string> drift;
};

// `plan` is read with PlanReader (a plan file, or a PrivatePlan's path).
PlanProgress check_progress(store::Reader& reader, const store::ObjectType& type, const std::filesystem::path& plan);

}  // namespace crm::restore
