// crm-backup verify ID|FILE: checks an archive end to end.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/cli/progress_bar.hpp>
#include <crm/offsite/id_or_file.hpp>
#include <crm/snapshot/verify.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::backup_app {

namespace {

struct VerifyOptions {
  std::string archive;
  std::string remote;  // verify the copy on this remote instead
  crm::cli::SecretSource passphrase = crm::cli::passphrase_source();
};

int run_verify(const VerifyOptions& options, const crm::cli::CommonOptions& common)
{
  const auto resolved = options.remote.empty()
                            ? crm::offsite::resolve_id_or_file(options.archive, common.repo)
                            : crm::offsite::fetch_for_verify(crm::cli::require_repo(common), options.archive,
                                                             options.remote, crm::SystemClock());
  const auto& archive = resolved.path;
  crm::cli::ProgressBar bar("crm-backup");
  try {
    std::optional<crm::snapshot::VerifyReport> verified;
    crm::cli::with_secret(options.passphrase, [&](std::optional<crm::SecretString> passphrase) {
      verified = crm::snapshot::verify(archive, std::move(passphrase), bar.callback());
    });
    const crm::snapshot::VerifyReport& report = *verified;
    bar.clear();
    if (common.is_json) {
      nlohmann::ordered_json json;
      json["ok"] = true;
      json["archive"] = archive.string();
      if (!resolved.remote_name.empty())
        json["remote"] = resolved.remote_name;
      json["snapshot_time"] = crm::format_iso8601(report.manifest.snapshot_time);
      json["files"] = report.files_checked;
      json["records"] = report.records;
      json["csv_bytes"] = report.csv_bytes;
      fmt::print("{}\n", json.dump(2));
    } else {
      fmt::print("{}{}: sound: {} records in {} files, checksums, CSV and counts match the manifest\n",
                 archive.filename().string(), resolved.remote_name.empty() ? "" : " on remote " + resolved.remote_name,
                 report.records, report.files_checked);
    }
    return 0;
  } catch (const crm::Error& error) {
    // Scripts get the verdict on stdout too; the one stderr line follows.
    if (common.is_json) {
      nlohmann::ordered_json json;
      json["ok"] = false;
      json["archive"] = archive.string();
      json["error"] = std::string(crm::kind_name(error.kind()));
      json["problem"] = error.what();
      fmt::print("{}\n", json.dump(2));
    }
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
