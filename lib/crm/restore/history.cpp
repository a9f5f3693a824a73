#include "crm/restore/history.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::restore {

using nlohmann::json;

namespace {

bool is_import(const catalog::RestoreRun& run)
{
  return run.state == catalog::RunState::applied || run.state == catalog::RunState::partly_applied;
}

// Details written by another version may lack fields: what is missing stays
// empty.
RestoreImport describe(const catalog::RestoreRun& run)
{
  RestoreImport restore;
  restore.import.id = run.id;
  restore.import.name = run.import_name;
  restore.import.object_type_id = run.object_type_id;
  restore.import.state = run.state == catalog::RunState::applied ? "completed" : "partly completed";
  restore.import.user = run.user;
  restore.import.created_at = run.finished_at;
  restore.import.records_updated = run.records_written;
  restore.import.values_set = run.values_set;
  restore.import.values_cleared = run.values_cleared;
  restore.import.details_json = run.details_json;
  restore.plan_hash = run.plan_hash;
  restore.undo_file = run.undo_file;
  restore.undo_sha256 = run.undo_sha256;
  restore.undo_of_import = run.undo_of_import;
  restore.records_failed = run.records_failed;
  const json details = json::parse(run.details_json, nullptr, false);
  if (!details.is_object())
    return restore;
  auto text = [](const json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  if (const auto properties = details.find("properties"); properties != details.end() && properties->is_array())
    for (const auto& property : *properties)
      if (property.is_string())
        restore.properties.push_back(property.get<std::string>());
  if (const auto source = details.find("source"); source != details.end() && source->is_object()) {
    restore.backup_id = text(*source, "backup_id");
    restore.source_file = text(*source, "file");
  }
  return restore;
}

}  // namespace

std::vector<RestoreImport> restore_history(catalog::Journal& journal, std::string_view store_id)
{
  std::vector<RestoreImport> history;
  for (const auto& run : journal.runs(store_id))
    if (is_import(run))
      history.push_back(describe(run));
  return history;
}

RestoreImport find_restore_import(catalog::Journal& journal, std::string_view store_id, std::int64_t import_id)
{
  const auto run = journal.find_run(import_id);
  if (!run || run->store_id != store_id || !is_import(*run))
    throw Error(ErrorKind::not_found, fmt::format("no restore import {} of this store in the journal", import_id),
                "crm-restore history lists the restores");
  return describe(*run);
}

}  // namespace crm::restore
