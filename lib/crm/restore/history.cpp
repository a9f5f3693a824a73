#include <crm/base/error.hpp>
#include <crm/restore/history.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::restore {

using nlohmann::json;

namespace {

constexpr std::string_view k_import_prefix = "Data Restore - ";

// Details written by another version or by hand may lack fields: what is
// missing stays empty.
RestoreImport describe(const store::Import& import)
{
  RestoreImport restore;
  restore.import = import;
  const json details = json::parse(import.details_json, nullptr, false);
  if (!details.is_object())
    return restore;
  auto text = [](const json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  restore.run_id = text(details, "run_id");
  restore.plan_hash = text(details, "plan_hash");
  restore.undo_file = text(details, "undo_file");
  if (const auto properties = details.find("properties"); properties != details.end() && properties->is_array())
    for (const auto& property : *properties)
      if (property.is_string())
        restore.properties.push_back(property.get<std::string>());
  if (const auto source = details.find("source"); source != details.end() && source->is_object()) {
    restore.backup_id = text(*source, "backup_id");
    restore.source_file = text(*source, "file");
    if (const auto undo = source->find("undo_of_import"); undo != source->end() && undo->is_number_integer())
      restore.undo_of_import = undo->get<std::int64_t>();
  }
  return restore;
}

}  // namespace

std::vector<RestoreImport> restore_history(store::Reader& reader)
{
  std::vector<RestoreImport> history;
  for (const auto& import : reader.imports())
    if (import.name.starts_with(k_import_prefix))
      history.push_back(describe(import));
  return history;
}

RestoreImport find_restore_import(store::Reader& reader, std::int64_t import_id)
{
  for (const auto& import : reader.imports())
    if (import.id == import_id && import.name.starts_with(k_import_prefix))
      return describe(import);
  throw Error(ErrorKind::not_found, fmt::format("no restore import {} in this store", import_id),
              "crm-restore history lists the restores");
}

}  // namespace crm::restore
