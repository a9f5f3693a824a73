// crm-backup diff A B | diff A --live: what changed, per object and property.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/offsite/id_or_file.hpp>
#include <crm/snapshot/diff.hpp>
#include <crm/snapshot/super_admin.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::backup_app {

namespace {

struct DiffOptions {
  std::string old_backup;
  std::string new_backup;
  bool is_live = false;
  std::size_t max_listed = 100;
  bool is_values = false;
  crm::cli::SecretSource passphrase = crm::cli::passphrase_source();
};

// The endpoints of a diff are backup ids, or "live"; an archive file whose
// name carries no id is null.
nlohmann::ordered_json endpoint_json(const std::optional<crm::offsite::ResolvedArchive>& archive)
{
  if (!archive)
    return "live";
  return crm::cli::json_text(crm::offsite::backup_id_of(*archive).value_or(""));
}

nlohmann::ordered_json to_json(const crm::snapshot::DiffReport& report,
                               const crm::offsite::ResolvedArchive& old_archive,
                               const std::optional<crm::offsite::ResolvedArchive>& new_archive)
{
  nlohmann::ordered_json json;
  json["old"] = endpoint_json(old_archive);
  json["new"] = endpoint_json(new_archive);
  json["has_differences"] = report.has_differences();
  json["objects"] = nlohmann::ordered_json::array();
  for (const auto& object : report.objects) {
    nlohmann::ordered_json entry;
    entry["name"] = object.name;
    entry["object_type_id"] = object.object_type_id;
    entry["only_in_old"] = object.is_only_in_old;
    entry["only_in_new"] = object.is_only_in_new;
    entry["added"] = object.added;
    entry["removed"] = object.removed;
    entry["changed"] = object.changed;
    entry["unchanged"] = object.unchanged;
    entry["changed_by_property"] = nlohmann::ordered_json::object();
    for (const auto& change : object.changes_by_property)
      entry["changed_by_property"][change.property] = change.records;
    entry["properties_only_in_old"] = object.properties_only_in_old;
    entry["properties_only_in_new"] = object.properties_only_in_new;
    entry["added_ids"] = object.added_ids;
    entry["removed_ids"] = object.removed_ids;
    entry["changed_records"] = nlohmann::ordered_json::array();
    for (const auto& record : object.changed_records) {
      // "values" is null unless --show-values asked for them.
      nlohmann::ordered_json changed = {{"id", record.id}, {"properties", record.properties}, {"values", nullptr}};
      if (!record.values.empty()) {
        changed["values"] = nlohmann::ordered_json::array();
        for (std::size_t index = 0; index < record.values.size(); ++index)
          changed["values"].push_back({{"property", record.properties[index]},
                                       {"old", record.values[index].first},
                                       {"new", record.values[index].second}});
      }
      entry["changed_records"].push_back(std::move(changed));
    }
    json["objects"].push_back(std::move(entry));
  }
  return json;
}

void print_text(const crm::snapshot::DiffReport& report)
{
  fmt::print("{} -> {}\n", report.old_label, report.new_label);
  for (const auto& object : report.objects) {
    std::string where = object.is_only_in_old   ? " (only in the old side)"
                        : object.is_only_in_new ? " (only in the new side)"
                                                : "";
    if (!object.has_differences() && object.properties_only_in_old.empty() && object.properties_only_in_new.empty()) {
      fmt::print("{}: no changes ({} records)\n", object.name, object.unchanged);
      continue;
    }
    fmt::print("{}{}: {} added, {} removed, {} changed, {} unchanged\n", object.name, where, object.added,
               object.removed, object.changed, object.unchanged);
    for (const auto& change : object.changes_by_property)
      fmt::print("  {}: {} records changed\n", change.property, change.records);
    if (!object.properties_only_in_old.empty())
      fmt::print("  properties only in the old side: {}\n", fmt::join(object.properties_only_in_old, ", "));
    if (!object.properties_only_in_new.empty())
      fmt::print("  properties only in the new side: {}\n", fmt::join(object.properties_only_in_new, ", "));
    for (const auto& record : object.changed_records) {
      if (record.values.empty()) {
        fmt::print("  changed {}: {}\n", record.id, fmt::join(record.properties, ", "));
        continue;
      }
      fmt::print("  changed {}:\n", record.id);
      for (std::size_t index = 0; index < record.values.size(); ++index)
        fmt::print("    {}: {} \u2192 {}\n", crm::printable(record.properties[index], 80),
                   crm::shown_value(record.values[index].first), crm::shown_value(record.values[index].second));
    }
    if (!object.added_ids.empty())
      fmt::print("  added: {}{}\n", fmt::join(object.added_ids, ", "),
                 object.added > static_cast<std::int64_t>(object.added_ids.size()) ? ", ..." : "");
    if (!object.removed_ids.empty())
      fmt::print("  removed: {}{}\n", fmt::join(object.removed_ids, ", "),
                 object.removed > static_cast<std::int64_t>(object.removed_ids.size()) ? ", ..." : "");
  }
}

int run_diff(const DiffOptions& options, const crm::cli::CommonOptions& common)
{
  if (options.is_live == !options.new_backup.empty())
    throw crm::Error(crm::ErrorKind::usage, "diff compares a backup with a second backup or with --live",
                     "run crm-backup diff A B or crm-backup diff A --live");
  // Values are customer data: shown to super admins only, checked before an
  // archive is opened, as export does. Ids and property names need no role.
  if (options.is_values) {
    crm::cli::require_store(common);
    const std::string& user = crm::cli::require_user(common);
    crm::snapshot::require_super_admin(*crm::cli::open_store(common, crm::store::Access::read_only), user,
                                       "see the values in a diff");
  }
  const auto old_archive = crm::offsite::resolve_id_or_file(options.old_backup, common.repo);
  std::optional<crm::offsite::ResolvedArchive> new_archive;
  if (!options.is_live)
    new_archive = crm::offsite::resolve_id_or_file(options.new_backup, common.repo);
  // Both archives are read with one passphrase, and verified alongside the
  // comparison: diff_* wait for the verification before they return. Diff
  // reads every entry to its end, and that read is its check.
  std::optional<crm::snapshot::BackupReader> old_backup;
  std::optional<crm::snapshot::BackupReader> new_backup;
  const auto every_object = [](const crm::snapshot::ObjectEntry&) { return true; };
  crm::cli::with_secret(options.passphrase, [&](std::optional<crm::SecretString> passphrase) {
    old_backup.emplace(old_archive.path, crm::duplicate(passphrase), crm::snapshot::Verification::alongside,
                       every_object);
    if (new_archive)
      new_backup.emplace(new_archive->path, std::move(passphrase), crm::snapshot::Verification::alongside,
                         every_object);
  });
  crm::snapshot::DiffOptions request;
  request.max_listed_records = options.max_listed;
  request.is_values = options.is_values;
  crm::snapshot::DiffReport report;
  if (options.is_live) {
    const auto store = crm::cli::open_store(common, crm::store::Access::read_only);
    const auto live = store->read();
    report = crm::snapshot::diff_live(*old_backup, *live, request);
  } else {
    report = crm::snapshot::diff_backups(*old_backup, *new_backup, request);
  }
  report.old_label = "backup " + options.old_backup;
  if (!options.is_live)
    report.new_label = "backup " + options.new_backup;
  if (common.is_json)
    crm::cli::print_json(to_json(report, old_archive, new_archive));
  else
    print_text(report);
  return 0;
}

}  // namespace

crm::cli::Subcommand add_diff(CLI::App& app, const crm::cli::CommonOptions& common)
{
  auto options = std::make_shared<DiffOptions>();
  CLI::App* command =
      app.add_subcommand("diff", "Records added, removed and changed between two backups, or a backup and --live");
  command->add_option("old", options->old_backup, "backup id or archive file")->required();
  command->add_option("new", options->new_backup, "backup id or archive file");
  command->add_flag("--live", options->is_live, "compare with the live store (--store)");
  command->add_option("--max-listed", options->max_listed, "record ids listed per object and kind (default 100)");
  command->add_flag("--show-values", options->is_values,
                    "print each changed property of the listed records as old -> new (super admins only)");
  crm::cli::add_secret_file_option(*command, "--passphrase-file", options->passphrase);
  return {command, [options, &common] { return run_diff(*options, common); }};
}

}  // namespace crm::backup_app
