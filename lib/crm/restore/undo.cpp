#include "crm/restore/undo.hpp"

#include <crm/auth/permissions.hpp>
#include <crm/base/error.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/restore/history.hpp>
#include <crm/restore/plan_builder.hpp>
#include <crm/restore/plan_reader.hpp>

#include <fmt/format.h>

namespace crm::restore {

PlanResult make_undo_plan(store::Store& store, catalog::Journal& journal, const UndoRequest& request,
                          const Clock& clock, const ProgressFn& progress)
{
  auto reader = store.read();
  auth::require_super_admin(reader->find_user(request.user), request.user, "restore data");
  const store::Account account = reader->account();
  const RestoreImport restore = find_restore_import(journal, account.store_id, request.import_id);
  if (restore.undo_file.empty())
    throw Error(ErrorKind::not_found, fmt::format("restore import {} names no undo file", request.import_id),
                "only restores made by crm-restore apply can be undone");
  if (!std::filesystem::exists(restore.undo_file))
    throw Error(
        ErrorKind::not_found,
        fmt::format("the undo file of restore import {} is gone: {}", request.import_id, restore.undo_file.string()),
        "put the undo file back where the restore wrote it");
  const std::string undo_sha256 = crypto::file_sha256(restore.undo_file);
  if (undo_sha256 != restore.undo_sha256)
    throw Error(ErrorKind::data,
                fmt::format("the undo file of restore import {} changed since the restore wrote it: {}",
                            request.import_id, restore.undo_file.string()),
                "put back the undo file the restore wrote; a changed one is never applied");

  PlanReader undo(restore.undo_file, k_undo_format_name);
  const PlanHeader& recorded = undo.header();
  if (recorded.store_id != account.store_id)
    throw Error(ErrorKind::data, fmt::format("undo file {} belongs to another store", restore.undo_file.string()),
                "undo a restore of this store");
  if (recorded.source.undo_of_import != request.import_id)
    throw Error(ErrorKind::data,
                fmt::format("undo file {} belongs to restore import {}, not {}", restore.undo_file.string(),
                            recorded.source.undo_of_import, request.import_id),
                "check the import id with crm-restore history");
  const store::ObjectType type = restorable_object_type(*reader, recorded.object_type_id);

  PlanHeader header;
  header.store_id = account.store_id;
  header.account_id = account.id;
  header.created_at = clock.now();
  header.created_by = request.user;
  header.source = {"undo",           recorded.source.backup_id,     restore.undo_file.string(),
                   undo_sha256,      recorded.source.snapshot_time, true,
                   request.import_id};
  header.object_name = type.name;
  header.object_type_id = type.object_type_id;
  header.object_singular = type.singular;
  // The undo file's properties that can still be written; the others are
  // refused with their reason, like in any plan.
  std::vector<std::size_t> recorded_index;  // per plan property: its index in the undo file's list
  for (std::size_t index = 0; index < recorded.properties.size(); ++index) {
    const auto& name = recorded.properties[index];
    const store::Property* property = type.find_property(name);
    if (property == nullptr) {
      header.refused.push_back({name, "no longer defined in the store"});
    } else if (property->is_read_only) {
      header.refused.push_back({name, "read-only or calculated"});
    } else {
      header.properties.push_back(name);
      recorded_index.push_back(index);
    }
  }
  if (header.properties.empty())
    throw Error(ErrorKind::usage,
                fmt::format("none of the properties of restore import {} can be written any more", request.import_id),
                "the properties were removed or made read-only since the restore");

  std::vector<const std::string*> targets(header.properties.size());
  std::vector<const std::string*> by_recorded(recorded.properties.size());
  auto scan_undo = [&](const TargetFn& fn) {
    PlanChange change;
    while (undo.next_change(change)) {
      std::fill(by_recorded.begin(), by_recorded.end(), nullptr);
      for (std::size_t index = 0; index < change.properties.size(); ++index) {
        const auto position = static_cast<std::size_t>(
            std::find(recorded.properties.begin(), recorded.properties.end(), change.properties[index]) -
            recorded.properties.begin());
        by_recorded[position] = &change.after[index];
      }
      for (std::size_t index = 0; index < targets.size(); ++index)
        targets[index] = by_recorded[recorded_index[index]];
      if (std::any_of(targets.begin(), targets.end(), [](const std::string* value) { return value != nullptr; }))
        fn(change.id, targets);
    }
    undo.finish();
  };
  BuildOptions options;
  options.is_complete = false;
  options.target_total = restore.import.records_updated;
  return build_plan(*reader, type, header, scan_undo, request.output, options, progress);
}

}  // namespace crm::restore
