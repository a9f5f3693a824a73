#pragma once
// Prints a plan's summary (for `plan`, `undo` and `show`): text for people,
// one JSON object with --json.

#include <crm/restore/planner.hpp>

#include <optional>
#include <span>

namespace crm::restore_app {

// With `first_changes` (show), also those records as current -> restored.
void print_plan(const restore::PlanResult& plan, bool is_json,
                std::optional<std::span<const restore::PlanChange>> first_changes = std::nullopt);

}  // namespace crm::restore_app
