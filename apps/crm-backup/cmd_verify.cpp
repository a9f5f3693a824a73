// crm-backup verify ID|FILE: checks an archive end to end, and remembers
// the verdict for a backup of the repository.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/catalog/backup_id.hpp>
#include <crm/cli/progress_bar.hpp>
#include <crm/offsite/id_or_file.hpp>
#include <crm/snapshot/verify.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>

namespace crm::backup_app {

namespace {

struct VerifyOptions {
  std::string archive;
  std::string remote;  // verify the copy on this remote instead
  crm::cli::SecretSource passphrase = crm::cli::passphrase_source();
};

// A backup of the repository remembers what verify found (list shows it,
// crm-schedule check reads it). Nothing is recorded for a file given by
// path or a copy on a remote, nor when the repository cannot be written:
// the verdict stands either way, with a warning.
void remember(const VerifyOptions& options, const crm::cli::CommonOptions& common, crm::catalog::BackupState state,
              std::string_view damage)
{
  if (!options.remote.empty() || common.repo.empty() || !crm::catalog::is_backup_id(options.archive) ||
      !std::filesystem::exists(std::filesystem::path(common.repo) / crm::catalog::archive_name_for(options.archive)))
    return;
  try {
    auto repository = crm::catalog::Repository::open(common.repo, crm::catalog::OpenIntent::write);
    repository.set_state(options.archive, state, crm::SystemClock().now(), damage);
  } catch (const crm::Error& error) {
    fmt::print(stderr, "crm-backup: warning: the outcome of verify was not recorded in the catalog: {}\n",
               crm::without_control_characters(error.line()));
  }
}

int run_verify(const VerifyOptions& options, const crm::cli::CommonOptions& common)
{
  std::filesystem::path archive = options.archive;
  crm::cli::ProgressBar bar("crm-backup");
  try {
    const auto resolved = options.remote.empty()
                              ? crm::offsite::resolve_id_or_file(options.archive, common.repo)
                              : crm::offsite::fetch_for_verify(crm::cli::require_repo(common), options.archive,
                                                               options.remote, crm::SystemClock());
    archive = resolved.path;
    std::optional<crm::snapshot::VerifyReport> verified;
    crm::cli::with_secret(options.passphrase, [&](std::optional<crm::SecretString> passphrase) {
      verified = crm::snapshot::verify(archive, std::move(passphrase), bar.callback());
    });
    const crm::snapshot::VerifyReport& report = *verified;
    bar.clear();
    remember(options, common, crm::catalog::BackupState::verified, {});
    if (common.is_json) {
      nlohmann::ordered_json json;
      json["ok"] = true;
      json["backup_id"] = crm::cli::json_text(crm::offsite::backup_id_of(resolved).value_or(""));
      json["archive"] = resolved.remote_name.empty() ? crm::cli::json_path(archive) : nullptr;
      json["remote"] = crm::cli::json_text(resolved.remote_name);
      json["snapshot_time"] = crm::cli::json_time(report.manifest.snapshot_time);
      json["files"] = report.files_checked;
      json["records"] = report.records;
      json["csv_bytes"] = report.csv_bytes;
      crm::cli::print_json(json);
    } else {
      fmt::print("{}{}: sound: {} records in {} files, checksums, CSV and counts match the manifest\n",
                 archive.filename().string(), resolved.remote_name.empty() ? "" : " on remote " + resolved.remote_name,
                 report.records, report.files_checked);
    }
    return 0;
  } catch (const crm::Error& error) {
    bar.clear();
    if (error.kind() == crm::ErrorKind::data)
      remember(options, common, crm::catalog::BackupState::damaged, error.what());
    throw;
  }
}

}  // namespace

crm::cli::Subcommand add_verify(CLI::App& app, const crm::cli::CommonOptions& common)
{
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* command = app.add_subcommand("verify", "Check an archive end to end: entries, checksums, CSV, counts");
  command->add_option("backup", options->archive, "backup id or archive file")->required();
  crm::cli::add_secret_file_option(*command, "--passphrase-file", options->passphrase);
  command->add_option("--remote", options->remote,
                      "verify the copy on this remote: fetched, checked against the recorded SHA-256, then verified");
  return {command, [options, &common] { return run_verify(*options, common); }};
}

}  // namespace crm::backup_app
