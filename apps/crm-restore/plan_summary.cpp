#include "plan_summary.hpp"

#include <crm/base/printable.hpp>
#include <crm/restore/plan_codec.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace crm::restore_app {

namespace {

void print_text(const restore::PlanResult& plan, std::optional<std::span<const restore::PlanChange>> first_changes)
{
  const auto& header = plan.header;
  const auto& summary = plan.summary;
  const auto& source = header.source;
  if (source.kind == "undo")
    fmt::print("Undo plan for {}: puts back the values restore import {} overwrote\n", header.object_name,
               source.undo_of_import);
  else
    fmt::print("Restore plan for {} from {}{}\n", header.object_name,
               source.backup_id.empty() ? source.file : "backup " + source.backup_id,
               source.snapshot_time > 0 ? fmt::format(" (taken {})", format_human(source.snapshot_time)) : "");
  fmt::print("  properties restored:     {}\n", fmt::join(header.properties, ", "));
  for (const auto& refused : header.refused)
    fmt::print("  property refused:        {} ({})\n", refused.name, refused.reason);
  fmt::print("  records to change:       {}\n", summary.records_to_change);
  fmt::print("  values to set:           {}\n", summary.values_to_set);
  fmt::print("  values to clear:         {}\n", summary.values_to_clear);
  for (const auto& counts : summary.by_property)
    fmt::print("    {:<22} {} to set, {} to clear\n", counts.property, counts.values_to_set, counts.values_to_clear);
  fmt::print("  records unchanged:       {}\n", summary.records_unchanged);
  if (source.kind != "undo")
    fmt::print("  created since (untouched): {}\n", summary.records_created);
  fmt::print("  deleted since (not restored): {}", summary.records_deleted);
  if (summary.records_deleted > 0) {
    fmt::print(
        ", {} in the recycle bin; ids {}{}\n", summary.records_in_recycle_bin, fmt::join(plan.deleted_sample, ", "),
        summary.records_deleted > static_cast<std::int64_t>(plan.deleted_sample.size()) ? ", ... (all in the plan)"
                                                                                        : "");
    fmt::print("    a restore never recreates records: restore them from the recycle bin or import them\n");
  } else {
    fmt::print("\n");
  }
  for (const auto& workflow : summary.workflows)
    fmt::print("  warning: workflow \"{}\" (id {}) allows re-enrollment and triggers on {}: it may re-enroll {} "
               "records\n",
               printable(workflow.name), workflow.id, fmt::join(workflow.trigger_properties, ", "), workflow.records);
  if (!summary.workflows_unchecked.empty())
    fmt::print("  warning: workflows could not be checked for re-enrollment ({}): HubSpot may enroll restored "
               "records\n",
               printable(summary.workflows_unchecked, 200));
  if (!source.are_checksums_verified)
    fmt::print("  warning: checksums could not be checked: the export has no manifest\n");
  if (first_changes && !first_changes->empty()) {
    fmt::print("first {} records (current \u2192 restored):\n", first_changes->size());
    for (const auto& change : *first_changes)
      for (std::size_t index = 0; index < change.properties.size(); ++index)
        fmt::print("  {:<10} {}: {} \u2192 {}\n", index == 0 ? std::to_string(change.id) : "",
                   printable(change.properties[index], 80), shown_value(change.before[index]),
                   shown_value(change.after[index]));
  }
  fmt::print("plan: {}\nhash: {}\n", plan.path.string(), plan.sha256);
  if (summary.records_to_change == 0)
    fmt::print("nothing to restore: the store already holds these values\n");
  else
    fmt::print("review it, then: crm-restore apply {} --confirm {}\n", plan.path.string(), plan.sha256);
}

}  // namespace

void print_plan(const restore::PlanResult& plan, bool is_json,
                std::optional<std::span<const restore::PlanChange>> first_changes)
{
  if (is_json)
    fmt::print("{}\n", restore::encode_review(plan.header, plan.summary, plan.path, plan.sha256, plan.deleted_sample,
                                              first_changes));
  else
    print_text(plan, first_changes);
}

}  // namespace crm::restore_app
