// crm-backup list: the backups, newest first, and where each one is: in the
// repository, on remotes (copied, pending, failed), or on remotes only.

#include "commands.hpp"

#include <crm/catalog/download_window.hpp>
#include <crm/cli/progress_bar.hpp>
#include <crm/offsite/locations.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm::backup_app {

namespace {

// "local,offsite" or "offsite,usb(pending)".
std::string location_text(const crm::offsite::BackupLocations& located)
{
  std::string text = located.is_local ? "local" : "";
  for (const auto& copy : located.copies) {
    text += text.empty() ? "" : ",";
    text += copy.remote_name;
    if (copy.state != crm::catalog::CopyState::copied)
      text += fmt::format("({})", crm::catalog::to_string(copy.state));
  }
  return text;
}

// The VERIFIED column: what the last crm-backup verify found.
std::string_view verified_text(const crm::catalog::BackupRecord& record)
{
  switch (record.state) {
  case crm::catalog::BackupState::verified: return "yes";
  case crm::catalog::BackupState::damaged: return "DAMAGED";
  case crm::catalog::BackupState::complete: break;
  }
  return "-";
}

int run_list(const crm::cli::CommonOptions& common)
{
  auto repository = crm::catalog::Repository::open(crm::cli::require_repo(common), crm::catalog::OpenIntent::read);
  const crm::UnixTime now = crm::SystemClock().now();
  const auto backups = crm::offsite::locate_backups(repository);
  if (common.is_json) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& located : backups) {
      const auto& record = located.record;
      nlohmann::ordered_json json;
      json["backup_id"] = record.id;
      json["created_at"] = crm::cli::json_time(record.created_at);
      json["state"] = crm::catalog::is_expired(record, now) ? "expired" : "ready";
      // What verify last found: "complete" (never verified), "verified" or "damaged".
      json["checked"] = std::string(crm::catalog::to_string(record.state));
      json["verified_at"] = crm::cli::json_time(record.verified_at);
      json["damage"] = crm::cli::json_text(record.damage);
      json["size_bytes"] = record.size_bytes;
      json["records"] = record.total_records();
      json["objects"] = crm::cli::objects_json(record.objects);
      json["expires_at"] = crm::cli::json_time(crm::catalog::expires_at(record));
      json["archive"] = located.is_local ? crm::cli::json_path(repository.archive_path(record)) : nullptr;
      json["user"] = record.user;
      json["note"] = crm::cli::json_text(record.note);
      json["encrypted"] = record.is_encrypted;
      json["sensitive_excluded"] = record.is_sensitive_excluded;
      json["local"] = located.is_local;
      json["remotes"] = nlohmann::ordered_json::array();
      for (const auto& copy : located.copies)
        json["remotes"].push_back({{"name", copy.remote_name},
                                   {"state", crm::catalog::to_string(copy.state)},
                                   {"reason", crm::cli::json_text(copy.reason)}});
      list.push_back(std::move(json));
    }
    crm::cli::print_json(list);
    return 0;
  }
  if (backups.empty()) {
    fmt::print("no backups in {}\n", repository.directory().string());
    return 0;
  }
  fmt::print("{:<22} {:<20} {:<8} {:<8} {:>10} {:>8} {:>10}  {:<20}  {}\n", "ID", "CREATED", "STATE", "VERIFIED",
             "SIZE", "OBJECTS", "RECORDS", "EXPIRES", "WHERE");
  for (const auto& located : backups) {
    const auto& record = located.record;
    const bool is_expired = crm::catalog::is_expired(record, now);
    fmt::print("{:<22} {:<20} {:<8} {:<8} {:>10} {:>8} {:>10}  {:<20}  {}\n", record.id,
               crm::format_human(record.created_at), is_expired ? "expired" : "ready", verified_text(record),
               crm::cli::format_bytes(static_cast<std::uint64_t>(record.size_bytes)), record.objects.size(),
               record.total_records(), crm::format_human(crm::catalog::expires_at(record)), location_text(located));
  }
  return 0;
}

}  // namespace

crm::cli::Subcommand add_list(CLI::App& app, const crm::cli::CommonOptions& common)
{
  CLI::App* command =
      app.add_subcommand("list", "List the backups: id, created, state, size, objects, expiry, where they are");
  return {command, [&common] { return run_list(common); }};
}

}  // namespace crm::backup_app
