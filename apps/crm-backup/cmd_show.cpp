// crm-backup show ID: one backup's catalog entry and manifest (the manifest
// only when it can be read without a prompt).

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/catalog/download_window.hpp>
#include <crm/cli/progress_bar.hpp>
#include <crm/offsite/fetch.hpp>
#include <crm/snapshot/archive_manifest.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <optional>

namespace crm::backup_app {

namespace {

struct ShowOptions {
  std::string id;
  bool is_properties = false;
  crm::cli::SecretSource passphrase = crm::cli::passphrase_source();
};

// The manifest, when it can be read without asking: an archive that is not
// encrypted, or one whose passphrase came by file or environment. show never
// prompts: what the catalog knows is printed either way.
std::optional<crm::snapshot::Manifest> readable_manifest(const crm::offsite::ResolvedArchive& resolved,
                                                         const ShowOptions& options)
{
  crm::cli::SecretSource without_prompt = options.passphrase;
  without_prompt.may_prompt = false;
  auto passphrase = crm::cli::read_secret(without_prompt);
  if (resolved.record.is_encrypted && !passphrase) {
    if (options.is_properties)
      throw crm::Error(
          crm::ErrorKind::no_permission,
          fmt::format("the property names of backup {} are inside its encrypted archive", resolved.record.id),
          "give --passphrase-file FILE or CRM_BACKUP_PASSPHRASE");
    return std::nullopt;
  }
  return crm::snapshot::read_manifest(resolved.path, passphrase);
}

nlohmann::ordered_json objects_json(const crm::catalog::BackupRecord& record,
                                    const std::optional<crm::snapshot::Manifest>& manifest, bool is_properties)
{
  // Without the manifest (an encrypted backup shown without its passphrase)
  // only the catalog's counts are known: the rest is null, in the same shape.
  if (!manifest) {
    auto objects = crm::cli::objects_json(record.objects);
    for (auto& entry : objects) {
      entry["object_type_id"] = nullptr;
      entry["properties"] = nullptr;
      entry["file"] = nullptr;
      entry["property_names"] = nullptr;
    }
    return objects;
  }
  auto objects = nlohmann::ordered_json::array();
  for (const auto& object : manifest->objects) {
    nlohmann::ordered_json entry = {{"name", object.name},
                                    {"object_type_id", object.object_type_id},
                                    {"records", object.record_count},
                                    {"properties", object.properties.size()},
                                    {"file", crm::cli::json_text(object.file_name)},
                                    {"property_names", nullptr}};  // listed with --properties
    if (is_properties) {
      auto names = nlohmann::ordered_json::array();
      for (const auto& property : object.properties)
        names.push_back(property.name);
      entry["property_names"] = std::move(names);
    }
    objects.push_back(std::move(entry));
  }
  return objects;
}

int run_show(const ShowOptions& options, const crm::cli::CommonOptions& common)
{
  auto repository = crm::catalog::Repository::open(crm::cli::require_repo(common), crm::catalog::OpenIntent::read);
  const auto resolved = crm::offsite::resolve(repository, options.id);
  const auto& record = resolved.record;
  const std::optional<crm::snapshot::Manifest> manifest = readable_manifest(resolved, options);
  const crm::UnixTime now = crm::SystemClock().now();
  const bool is_expired = crm::catalog::is_expired(record, now);
  if (common.is_json) {
    nlohmann::ordered_json json;
    json["backup_id"] = record.id;
    json["created_at"] = crm::cli::json_time(record.created_at);
    json["state"] = is_expired ? "expired" : "ready";
    json["expires_at"] = crm::cli::json_time(crm::catalog::expires_at(record));
    json["archive"] = resolved.remote_name.empty() ? crm::cli::json_path(repository.archive_path(record)) : nullptr;
    json["remote"] = crm::cli::json_text(resolved.remote_name);
    json["size_bytes"] = record.size_bytes;
    json["sha256"] = record.sha256;
    json["user"] = record.user;
    json["note"] = crm::cli::json_text(record.note);
    json["encrypted"] = record.is_encrypted;
    json["objects"] = objects_json(record, manifest, options.is_properties);
    json["manifest"] =
        manifest ? nlohmann::ordered_json::parse(crm::snapshot::to_json(*manifest)) : nlohmann::ordered_json();
    crm::cli::print_json(json);
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
  fmt::print("encrypted   {}\n", record.is_encrypted ? "yes (AES-256)" : "no");
  if (!manifest) {
    // What the catalog recorded when the backup was made.
    fmt::print("\n{:<20} {:>10}\n", "OBJECT", "RECORDS");
    for (const auto& [name, count] : record.objects)
      fmt::print("{:<20} {:>10}\n", crm::printable(name), count);
    fmt::print("\nThe manifest is inside the encrypted archive: give --passphrase-file FILE or "
               "CRM_BACKUP_PASSPHRASE to show it.\n");
    return 0;
  }
  // The manifest is the archive's word: escaped and capped like any untrusted text.
  fmt::print("format      version {}, written by crm-backup {}\n", manifest->format_version,
             crm::printable(manifest->tool_version));
  fmt::print("account     {} (store {})\n", crm::printable(manifest->account_id), crm::printable(manifest->store_id));
  fmt::print("sensitive   {}\n", manifest->is_sensitive_excluded ? "left out" : "included");
  fmt::print("\n{:<20} {:<14} {:>10} {:>11}  {}\n", "OBJECT", "TYPE", "RECORDS", "PROPERTIES", "FILE");
  for (const auto& object : manifest->objects) {
    fmt::print("{:<20} {:<14} {:>10} {:>11}  {}\n", crm::printable(object.name), crm::printable(object.object_type_id),
               object.record_count, object.properties.size(),
               object.file_name.empty() ? "(none)" : crm::printable(object.file_name));
    if (options.is_properties)
      for (const auto& property : object.properties)
        fmt::print("  {}\n", crm::printable(property.name));
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
  command->add_flag("--properties", options->is_properties, "list the property names of each object");
  crm::cli::add_secret_file_option(*command, "--passphrase-file", options->passphrase);
  return {command, [options, &common] { return run_show(*options, common); }};
}

}  // namespace crm::backup_app
