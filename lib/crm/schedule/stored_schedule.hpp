#pragma once
// Reading the schedule as the catalog stores it (catalog::ScheduleRecord):
// its cadence, and which slot `run` handled last and how. The schedule module
// owns the text of last_outcome: "ok: backup <id>", "deferred (exit 75): ..."
// or "failed (exit <code>): ...".

#include <crm/catalog/schedule_record.hpp>
#include <crm/schedule/cadence.hpp>

#include <optional>
#include <string_view>

namespace crm::schedule {

Cadence cadence_of(const catalog::ScheduleRecord& record);
// Writes `cadence` into `record`: what cadence_of reads back.
void set_cadence(catalog::ScheduleRecord& record, const Cadence& cadence);

// The outcomes run() records; only "ok" ends a slot.
constexpr std::string_view k_outcome_ok = "ok";
constexpr std::string_view k_outcome_deferred = "deferred";
constexpr std::string_view k_outcome_failed = "failed";
bool is_ok(std::string_view outcome);
bool is_failed(std::string_view outcome);

// The point after which run() looks for a due slot: the slot last handled
// successfully, or just before a slot whose backup failed or was deferred (so
// that slot is due again), and never before the schedule was enabled.
UnixTime handled_until(const catalog::ScheduleRecord& record);

// The slot that is due at `now` (none while disabled).
std::optional<UnixTime> due_slot_of(const catalog::ScheduleRecord& record, UnixTime now);

// When `run` will next back up: `now` when a slot is due, otherwise the next
// slot; none while disabled.
std::optional<UnixTime> next_run_of(const catalog::ScheduleRecord& record, UnixTime now);

}  // namespace crm::schedule
