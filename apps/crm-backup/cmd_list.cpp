// crm-backup list: the backups in the repository, newest first.

#include "commands.hpp"

#include <crm/cli/progress_bar.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crm_backup {

namespace {

int run_list(const crm::cli::CommonOptions& common)
{
  auto repository = crm::catalog::Repository::open(crm::cli::require_repo(common), crm::catalog::OpenIntent::read);
  const crm::UnixTime now = crm::SystemClock().now();
  const auto records = repository.list();
  if (common.is_json) {
    auto backups = nlohmann::ordered_json::array();
    for (const auto& record : records) {
      nlohmann::ordered_json json;
      json["id"] = record.id;
      json["created_at"] = crm::format_iso8601(record.created_at);
      json["state"] = crm::catalog::is_expired(record, now) ? "expired" : "ready";
      json["checked"] = std::string(crm::catalog::to_string(record.state));
      json["size_bytes"] = record.size_bytes;
      json["records"] = record.total_records();
      json["objects"] = record.objects;
      json["expires_at"] = crm::format_iso8601(crm::catalog::expires_at(record));
      json["archive"] = repository.archive_path(record).string();
      json["user"] = record.user;
      json["note"] = record.note;
      json["encrypted"] = record.is_encrypted;
      json["sensitive_excluded"] = record.is_sensitive_excluded;
      backups.push_back(std::move(json));
    }
    fmt::print("{}\n", backups.dump(2));
    return 0;
  }
  if (records.empty()) {
    fmt::print("no backups in {}\n", repository.directory().string());
    return 0;
  }
  fmt::print("{:<22} {:<20} {:<8} {:>10} {:>8} {:>10}  {}\n", "ID", "CREATED", "STATE", "SIZE", "OBJECTS",
             "RECORDS", "EXPIRES");
  for (const auto& record : records) {
    const bool is_expired = crm::catalog::is_expired(record, now);
    fmt::print("{:<22} {:<20} {:<8} {:>10} {:>8} {:>10}  {}\n", record.id, crm::format_human(record.created_at),
               is_expired ? "expired" : "ready", crm::cli::format_bytes(static_cast<std::uint64_t>(record.size_bytes)),
               record.objects.size(), record.total_records(), crm::format_human(crm::catalog::expires_at(record)));
  }
  return 0;
}

}  // namespace

Command add_list(CLI::App& app, const crm::cli::CommonOptions& common)
{
  CLI::App* command = app.add_subcommand("list", "List the backups: id, created, state, size, objects, expiry");
  return {command, [&common] { return run_list(common); }};
}

}  // namespace crm_backup
