#pragma once
// Prints a plan's summary (for `plan` and `undo`): text for people, one JSON
// object with --json.

#include <crm/restore/planner.hpp>

namespace crm::restore_app {

void print_plan(const restore::PlanResult& plan, bool is_json);

}  // namespace crm::restore_app
