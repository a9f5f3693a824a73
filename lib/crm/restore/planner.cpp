#include "crm/restore/planner.hpp"

#include <crm/auth/permissions.hpp>
#include <crm/base/error.hpp>
#include <crm/restore/plan_builder.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace crm::restore {

namespace {

struct ChosenProperties {
  std::vector<std::string> names;
  std::vector<std::size_t> backup_columns;  // index into the backup row, per name
  std::vector<RefusedProperty> refused;
};

std::optional<std::size_t> backup_column(const snapshot::ObjectEntry& entry, std::string_view name)
{
  for (std::size_t index = 0; index < entry.properties.size(); ++index)
    if (entry.properties[index].name == name)
      return index;
  return std::nullopt;
}

// Sorts the asked-for properties into those the plan restores and those it
// refuses, each with its reason. A name neither the store nor the backup
// knows is a typo: Error(usage).
ChosenProperties choose_properties(const store::ObjectType& type, const snapshot::ObjectEntry& entry,
                                   const PlanRequest& request)
{
  std::vector<std::string> asked;
  if (request.is_all_properties) {
    for (const auto& property : entry.properties)
      asked.push_back(property.name);
    for (const auto& property : entry.excluded_properties)
      asked.push_back(property);
  } else {
    asked = request.properties;
  }
  ChosenProperties chosen;
  std::vector<std::string> seen;
  for (const auto& name : asked) {
    if (std::find(seen.begin(), seen.end(), name) != seen.end())
      continue;
    seen.push_back(name);
    const store::Property* live = type.find_property(name);
    const auto column = backup_column(entry, name);
    const bool is_excluded = std::find(entry.excluded_properties.begin(), entry.excluded_properties.end(), name) !=
                             entry.excluded_properties.end();
    if (name == "hs_object_id") {
      chosen.refused.push_back({name, "the record id is never restored"});
    } else if (live == nullptr && !column && !is_excluded) {
      throw Error(ErrorKind::usage,
                  fmt::format("{} has no property {}, in the store or in the backup", type.name, name),
                  "check the name: crm-backup show lists the backup's properties");
    } else if (live == nullptr) {
      chosen.refused.push_back({name, "no longer defined in the store"});
    } else if (live->is_read_only) {
      chosen.refused.push_back({name, "read-only or calculated"});
    } else if (is_excluded) {
      chosen.refused.push_back({name, "left out of the backup (--exclude-sensitive)"});
    } else if (!column) {
      chosen.refused.push_back({name, "not in the backup"});
    } else {
      chosen.names.push_back(name);
      chosen.backup_columns.push_back(*column);
    }
  }
  if (chosen.names.empty()) {
    std::string reasons;
    for (const auto& refused : chosen.refused)
      reasons += fmt::format("{}{} ({})", reasons.empty() ? "" : ", ", refused.name, refused.reason);
    throw Error(ErrorKind::usage,
                reasons.empty() ? std::string("no property chosen")
                                : fmt::format("none of the chosen properties can be restored: {}", reasons),
                "choose properties with --properties a,b,c or --all-properties");
  }
  return chosen;
}

}  // namespace

store::ObjectType restorable_object_type(store::Reader& reader, std::string_view name_or_id)
{
  auto type = reader.find_object_type(name_or_id);
  if (!type)
    throw Error(ErrorKind::usage, fmt::format("this account has no object {}", name_or_id),
                "choose companies, contacts, deals, tickets, products, calls, tasks or a custom object");
  if (!type->is_restorable)
    throw Error(ErrorKind::usage, fmt::format("{} cannot be restored", type->name),
                "choose companies, contacts, deals, tickets, products, calls, tasks or a custom object");
  return *type;
}

std::vector<WorkflowWarning> reenrolling_workflows(const std::vector<store::Workflow>& workflows,
                                                   std::string_view type_id, const std::vector<std::string>& properties)
{
  std::vector<WorkflowWarning> warnings;
  for (const auto& workflow : workflows) {
    if (!workflow.is_enabled || !workflow.allows_reenrollment || workflow.object_type_id != type_id)
      continue;
    WorkflowWarning warning{workflow.id, workflow.name, {}, 0};
    for (const auto& property : properties)
      if (std::find(workflow.trigger_properties.begin(), workflow.trigger_properties.end(), property) !=
          workflow.trigger_properties.end())
        warning.trigger_properties.push_back(property);
    if (!warning.trigger_properties.empty())
      warnings.push_back(std::move(warning));
  }
  return warnings;
}

namespace {

PlanResult plan_from(store::Store& store, BackupSource& backup, const PlanRequest& request, const Clock& clock,
                     const ProgressFn& progress)
{
  auto reader = store.read();
  auth::require_super_admin(reader->find_user(request.user), request.user, "restore data");
  const store::ObjectType type = restorable_object_type(*reader, request.object);
  const store::Account account = reader->account();
  if (!backup.store_id().empty() && backup.store_id() != account.store_id)
    throw Error(ErrorKind::data, fmt::format("backup {} was made from another store", backup.description().file),
                "restore from a backup of this account's store");
  const snapshot::ObjectEntry* entry = backup.find(type.name);
  if (entry == nullptr)
    throw Error(ErrorKind::not_found, fmt::format("backup {} holds no {}", backup.description().file, type.name),
                "choose a backup made with that object");
  const ChosenProperties chosen = choose_properties(type, *entry, request);

  PlanHeader header;
  header.store_id = account.store_id;
  header.account_id = account.id;
  header.created_at = clock.now();
  header.created_by = request.user;
  header.source = backup.description();
  header.object_name = type.name;
  header.object_type_id = type.object_type_id;
  header.object_singular = type.singular;
  header.properties = chosen.names;
  header.refused = chosen.refused;

  std::vector<const std::string*> targets(chosen.names.size());
  auto scan_backup = [&](const TargetFn& fn) {
    backup.scan(*entry, [&](store::RecordId id, std::span<const std::string> values) {
      for (std::size_t index = 0; index < targets.size(); ++index) {
        const std::size_t column = chosen.backup_columns[index];
        if (column >= values.size())
          throw Error(ErrorKind::data, fmt::format("backup record {} of {} has too few values", id, type.name),
                      "verify the backup with crm-backup verify");
        targets[index] = &values[column];
      }
      fn(id, targets);
    });
    backup.require_verified();  // before build_plan publishes the plan
  };
  return build_plan(*reader, type, header, scan_backup, request.output, {true, entry->record_count}, progress);
}

}  // namespace

PlanResult make_plan(store::Store& store, BackupSource& backup, const PlanRequest& request, const Clock& clock,
                     const ProgressFn& progress)
{
  try {
    return plan_from(store, backup, request, clock, progress);
  } catch (const Error&) {
    // A backup that fails verification says so first, whatever else went
    // wrong while it was being verified alongside (a missing object, a bad
    // row): the damage is the thing to fix.
    backup.require_verified();
    throw;
  }
}

}  // namespace crm::restore
