#include "crm/restore/progress_check.hpp"

#include <crm/restore/plan_reader.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <deque>
#include <limits>

namespace crm::restore {

PlanProgress check_progress(store::Reader& reader, const store::ObjectType& type, const std::filesystem::path& plan)
{
  PlanProgress progress;
  PlanReader changes(plan);
  const auto& properties = changes.header().properties;
  auto index_of = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(properties.begin(), properties.end(), name) - properties.begin());
  };
  auto drifted = [&](std::string what) {
    if (!progress.drift)
      progress.drift = std::move(what);
    progress.is_done.push_back(false);
  };
  // The changes whose ids the reader was given and has not answered yet: a
  // backend that reads by id (HubSpot's batch read) asks up to 100 ahead.
  std::deque<PlanChange> asked;
  auto settle_missing_before = [&](store::RecordId id) {
    while (!asked.empty() && asked.front().id < id) {
      drifted(fmt::format("record {} of {} was deleted", asked.front().id, type.name));
      asked.pop_front();
    }
  };
  const store::IdSource ids = [&](store::RecordId& id) {
    PlanChange change;
    if (!changes.next_change(change))
      return false;
    id = change.id;
    asked.push_back(std::move(change));
    return true;
  };
  reader.read_records(type, properties, ids, [&](store::RecordId id, std::span<const std::string_view> values) {
    settle_missing_before(id);
    if (asked.empty() || asked.front().id != id)
      return;
    const PlanChange& change = asked.front();
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
    asked.pop_front();
  });
  settle_missing_before(std::numeric_limits<store::RecordId>::max());
  return progress;
}

}  // namespace crm::restore
