// crm-backup show ID: one backup's catalog entry and manifest.

#include "commands.hpp"

#include <crm/base/printable.hpp>
#include <crm/cli/progress_bar.hpp>
#include <crm/offsite/fetch.hpp>
#include <crm/snapshot/archive_manifest.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::backup_app {

namespace {

struct ShowOptions {
  std::string id;
  crm::cli::SecretSource passphrase = crm::cli::passphrase_source();
};

int run_show(const ShowOptions& options, const crm::cli::CommonOptions& common)
{
  auto repository = crm::catalog::Repository::open(crm::cli::require_repo(common), crm::catalog::OpenIntent::read);
  const auto resolved = crm::offsite::resolve(repository, options.id);
  const auto& record = resolved.record;
  const auto manifest = crm::snapshot::read_manifest(resolved.path, crm::cli::read_secret(options.passphrase));
  const crm::UnixTime now = crm::SystemClock().now();
  const bool is_expired = crm::catalog::is_expired(record, now);
  if (common.is_json) {
    nlohmann::ordered_json json;
    json["id"] = record.id;
    json["created_at"] = crm::format_iso8601(record.created_at);
    json["state"] = is_expired ? "expired" : "ready";
    json["expires_at"] = crm::format_iso8601(crm::catalog::expires_at(record));
    json["archive"] = resolved.remote_name.empty() ? repository.archive_path(record).string() : "";
    json["size_bytes"] = record.size_bytes;
    json["sha256"] = record.sha256;
    json["user"] = record.user;
    json["note"] = record.note;
    json["encrypted"] = record.is_encrypted;
    json["manifest"] = nlohmann::ordered_json::parse(crm::snapshot::to_json(manifest));
    fmt::print("{}\n", json.dump(2));
    return 0;
  }
  fmt::print("backup      {}\n", record.id);
  // The user may come from a remote's sidecar (a backup known only off-site): untrusted text.
  fmt::print("created     {} by {}\n", crm::format_human(record.created_at), crm::printable(record.user, 64));
  fmt::print("state       {} (downloadable until {})\n", is_expired ? "expired" : "ready",
             crm::format_human(crm::catalog::expires_at(record)));
  fmt::print("archive     {} ({})\n",
             resolved.remote_name.empty() ? repository.archive_path(record).string()
                                          : "on remote " + resolved.remote_name + " only",
             crm::cli::format_bytes(static_cast<std::uint64_t>(record.size_bytes)));
  fmt::print("sha256      {}\n", record.sha256);
  if (!record.note.empty())
    fmt::print("note        {}\n", crm::without_control_characters(record.note, crm::k_max_printed_bytes));
  // The manifest is the archive's word: escaped and capped like any untrusted text.
  fmt::print("format      version {}, written by crm-backup {}\n", manifest.format_version,
             crm::printable(manifest.tool_version));
  fmt::print("account     {} (store {})\n", crm::printable(manifest.account_id), crm::printable(manifest.store_id));
  fmt::print("encrypted   {}\n", record.is_encrypted ? "yes (AES-256)" : "no");
  fmt::print("sensitive   {}\n", manifest.is_sensitive_excluded ? "left out" : "included");
  fmt::print("\n{:<20} {:<14} {:>10} {:>11}  {}\n", "OBJECT", "TYPE", "RECORDS", "PROPERTIES", "FILE");
  for (const auto& object : manifest.objects) {
    fmt::print("{:<20} {:<14} {:>10} {:>11}  {}\n", crm::printable(object.name), crm::printable(object.object_type_id),
               object.record_count, object.properties.size(),
               object.file_name.empty() ? "(none)" : crm::printable(object.file_name));
    if (!object.excluded_properties.empty())
      fmt::print("  left out: {}\n",
                 crm::printable(fmt::format("{}", fmt::join(object.excluded_properties, ", ")), 1000));
  }
  return 0;
}

}  // namespace

crm::cli::Subcommand add_show(CLI::App& app, const crm::cli::CommonOptions& common)
{
  auto options = std::make_shared<ShowOptions>();
  CLI::App* command = app.add_subcommand("show", "Show one backup's manifest in readable form");
  command->add_option("id", options->id, "backup id")->required();
  crm::cli::add_secret_file_option(*command, "--passphrase-file", options->passphrase);
  return {command, [options, &common] { return run_show(*options, common); }};
}

}  // namespace crm::backup_app
