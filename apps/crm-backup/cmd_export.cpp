// crm-backup export ID|FILE -o DIR [--spreadsheet]: a backup's CSV files as
// plain files, exact or for spreadsheets. Super admins only: an export
// copies every customer value out, so the user is checked before the backup
// is looked up, as for download.

#include "commands.hpp"

#include <crm/cli/progress_bar.hpp>
#include <crm/offsite/id_or_file.hpp>
#include <crm/snapshot/export.hpp>
#include <crm/snapshot/super_admin.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <optional>

namespace crm::backup_app {

namespace {

struct ExportOptions {
  std::string backup;
  std::string output;
  bool is_spreadsheet = false;
  crm::cli::SecretSource passphrase = crm::cli::passphrase_source();
};

std::string records_text(std::int64_t records) { return fmt::format("{} record{}", records, records == 1 ? "" : "s"); }

int run_export(const ExportOptions& options, const crm::cli::CommonOptions& common)
{
  crm::cli::require_store(common);
  const std::string& user = crm::cli::require_user(common);
  crm::snapshot::require_super_admin(*crm::cli::open_store(common, crm::store::Access::read_only), user,
                                     "export backups");

  const auto resolved = crm::offsite::resolve_id_or_file(options.backup, common.repo);
  const auto form = options.is_spreadsheet ? crm::snapshot::ExportForm::spreadsheet : crm::snapshot::ExportForm::exact;
  crm::cli::ProgressBar bar("crm-backup");
  std::optional<crm::snapshot::ExportResult> exported;
  crm::cli::with_secret(options.passphrase, [&](std::optional<crm::SecretString> passphrase) {
    exported = crm::snapshot::export_backup(resolved.path, passphrase, options.output, form, bar.callback());
  });
  bar.clear();
  const crm::snapshot::ExportResult& result = *exported;
  if (common.is_json) {
    nlohmann::ordered_json json;
    json["backup_id"] = crm::cli::json_text(crm::offsite::backup_id_of(resolved).value_or(""));
    json["directory"] = crm::cli::json_path(result.directory);
    json["spreadsheet"] = options.is_spreadsheet;
    json["files"] = nlohmann::ordered_json::array();
    for (const auto& file : result.files)
      json["files"].push_back(
          {{"object", file.object}, {"path", crm::cli::json_path(file.path)}, {"records", file.records}});
    crm::cli::print_json(json);
  } else {
    for (const auto& file : result.files)
      fmt::print("{}: {}\n", file.path.string(), records_text(file.records));
    fmt::print("exported {} in {} file{} of backup {} to {}{}\n", records_text(result.records), result.files.size(),
               result.files.size() == 1 ? "" : "s", options.backup, result.directory.string(),
               options.is_spreadsheet ? " for spreadsheets" : "");
  }
  return 0;
}

}  // namespace

crm::cli::Subcommand add_export(CLI::App& app, const crm::cli::CommonOptions& common)
{
  auto options = std::make_shared<ExportOptions>();
  CLI::App* command = app.add_subcommand(
      "export", "Write a backup's CSV files into a directory, exact or for spreadsheets (super admins only)");
  command->add_option("backup", options->backup, "backup id or archive file")->required();
  command->add_option("-o,--output", options->output, "directory to write <object>.csv into (made when missing)")
      ->required();
  command->add_flag("--spreadsheet", options->is_spreadsheet,
                    "UTF-8 byte order mark, property labels as headers, formula-like text escaped with '");
  crm::cli::add_secret_file_option(*command, "--passphrase-file", options->passphrase);
  return {command, [options, &common] { return run_export(*options, common); }};
}

}  // namespace crm::backup_app
