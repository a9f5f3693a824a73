#include <crm/restore/plan_reader.hpp>
#include <crm/restore/progress_check.hpp>

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace crm::restore {

PlanProgress check_progress(store::Reader& reader, const store::ObjectType& type, const std::filesystem::path& plan)
{
  PlanProgress progress;
  PlanReader changes(plan);
  const auto& properties = changes.header().properties;
  PlanChange change;
  bool has_change = changes.next_change(change);
  auto index_of = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(properties.begin(), properties.end(), name) - properties.begin());
  };
  auto drifted = [&](std::string what) {
    if (!progress.drift)
      progress.drift = std::move(what);
    progress.is_done.push_back(false);
  };
  reader.scan_records(type, properties, [&](store::RecordId id, std::span<const std::string_view> values) {
    while (has_change && change.id < id) {
      drifted(fmt::format("record {} of {} was deleted", change.id, type.name));
      has_change = changes.next_change(change);
    }
    if (!has_change || change.id > id)
      return;
    bool is_before = true;
    bool is_after = true;
    for (std::size_t index = 0; index < change.properties.size(); ++index) {
      const std::string_view value = values[index_of(change.properties[index])];
      is_before = is_before && value == change.before[index];
      is_after = is_after && value == change.after[index];
    }
    if (is_before) {
      progress.is_done.push_back(false);
      ++progress.to_do;
    } else if (is_after) {
      progress.is_done.push_back(true);
      ++progress.done;
    } else {
      drifted(fmt::format("{} of record {} of {} changed", fmt::join(change.properties, ", "), change.id, type.name));
    }
    has_change = changes.next_change(change);
  });
  for (; has_change; has_change = changes.next_change(change))
    drifted(fmt::format("record {} of {} was deleted", change.id, type.name));
  return progress;
}

}  // namespace crm::restore
