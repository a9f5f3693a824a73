#pragma once
// The engine under `plan` and `undo`: merge-joins an id-ordered stream of
// target values (the backup's, or an undo file's) with the live records and
// the recycle bin, and writes the plan file as it goes. See planner.hpp for
// the story; this file is the part both commands share.

#include <crm/base/progress.hpp>
#include <crm/restore/plan.hpp>
#include <crm/restore/planner.hpp>
#include <crm/store/store.hpp>

#include <functional>
#include <span>
#include <string>

namespace crm::restore {

// One target record: for each of the plan's properties (header.properties,
// in order) a pointer to the value to restore, or nullptr to leave that
// property of this record alone. Valid only during the call.
using TargetFn = std::function<void(store::RecordId id, std::span<const std::string* const> values)>;
// Calls `fn` for every target record, in strictly increasing id order.
using TargetScan = std::function<void(const TargetFn& fn)>;

struct BuildOptions {
  // True when the targets are a whole object (a backup): live records absent
  // from them were created since and are counted. False for sparse targets
  // (an undo file), where they are simply not concerned.
  bool is_complete = true;
  std::int64_t target_total = 0;  // for progress; 0 when unknown
};

// `header` must name `type` and the properties; the plan is written to
// `output` and published only when complete.
PlanResult build_plan(store::Reader& reader, const store::ObjectType& type, const PlanHeader& header,
                      const TargetScan& targets, const std::filesystem::path& output, const BuildOptions& options,
                      const ProgressFn& progress);

}  // namespace crm::restore
