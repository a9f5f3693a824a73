// crm-backup create: one consistent backup of the CRM into the repository.

#include "commands.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/cli/progress_bar.hpp>
#include <crm/offsite/sync.hpp>
#include <crm/snapshot/create.hpp>
#include <crm/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>

namespace crm::backup_app {

namespace {

struct CreateOptions {
  std::vector<std::string> objects;
  bool is_sensitive_excluded = false;
  bool is_encrypted = false;
  std::string note;
  std::size_t threads = 0;
  int level = 6;
  crm::cli::SecretSource passphrase = crm::cli::new_passphrase_source();
  bool is_remote_required = false;
};

void print_result(const crm::snapshot::CreateResult& result, const std::string& note, bool is_json)
{
  if (is_json) {
    nlohmann::ordered_json json;
    json["backup_id"] = result.id;
    json["archive"] = crm::cli::json_path(result.archive);
    json["created_at"] = crm::cli::json_time(result.created_at);
    json["expires_at"] = crm::cli::json_time(result.expires_at);
    json["size_bytes"] = result.size_bytes;
    json["sha256"] = result.sha256;
    json["encrypted"] = result.is_encrypted;
    json["sensitive_excluded"] = result.is_sensitive_excluded;
    json["note"] = crm::cli::json_text(note);
    json["objects"] = crm::cli::objects_json(result.objects);
    json["consistent_snapshot"] = result.is_consistent_snapshot;
    json["modified_during_backup"] = result.modified_during_backup;
    json["skipped"] = nlohmann::ordered_json::array();
    for (const auto& gap : result.skipped)
      json["skipped"].push_back({{"object", gap.object},
                                 {"object_type_id", gap.object_type_id},
                                 {"property", crm::cli::json_text(gap.property)},
                                 {"reason", gap.reason}});
    crm::cli::print_json(json);
    return;
  }
  fmt::print("{}\n", result.id);
  for (const auto& [name, records] : result.objects)
    fmt::print("  {:<24} {:>10} records{}\n", name, records, records == 0 ? " (no file)" : "");
  for (const auto& gap : result.skipped)
    fmt::print("  skipped {}{}: {}\n", crm::printable(gap.object),
               gap.property.empty() ? "" : " " + crm::printable(gap.property), crm::printable(gap.reason, 300));
  if (!result.is_consistent_snapshot)
    fmt::print("  {} records were modified while the backup ran (the store has no snapshot): their rows may hold "
               "values from before or after the change\n",
               result.modified_during_backup);
}

int run_create(const CreateOptions& options, const crm::cli::CommonOptions& common)
{
  crm::cli::require_store(common);
  const auto repository = crm::cli::require_repo(common);
  const std::string& user = crm::cli::require_user(common);

  crm::snapshot::CreateOptions request;
  request.objects = options.objects;
  request.is_sensitive_excluded = options.is_sensitive_excluded;
  request.note = options.note;
  request.threads = options.threads;
  request.compression_level = options.level;
  if (options.is_encrypted) {
    request.passphrase = crm::cli::read_secret(options.passphrase);
    if (!request.passphrase)
      throw crm::Error(crm::ErrorKind::usage, "--encrypt needs a passphrase",
                       "pass --passphrase-file FILE (- for stdin) or set CRM_BACKUP_PASSPHRASE");
  } else if (!options.passphrase.file.empty()) {
    throw crm::Error(crm::ErrorKind::usage, "--passphrase-file is given without --encrypt",
                     "add --encrypt to write an encrypted backup");
  }

  crm::cli::ProgressBar bar("crm-backup");
  request.print_line = [&bar](std::string_view line) {
    bar.clear();
    fmt::print(stderr, "crm-backup: {}\n", line);
  };
  crm::offsite::CopyAfterCreate offsite(repository, options.is_remote_required, request.print_line);
  request.print_line = offsite.print_line();
  // A backup reads the CRM: read access is all it needs (SPEC §4).
  const std::unique_ptr<crm::store::Store> store = crm::cli::open_store(common, crm::store::Access::read_only);
  const crm::SystemClock clock;
  const auto result = crm::snapshot::create(*store, repository, user, request, clock, bar.callback());
  print_result(result, options.note, common.is_json);
  return offsite.copy(result.id, clock);
}

}  // namespace

crm::cli::Subcommand add_create(CLI::App& app, const crm::cli::CommonOptions& common)
{
  auto options = std::make_shared<CreateOptions>();
  CLI::App* command = app.add_subcommand("create", "Back up every record into the repository (super admins only)");
  command->add_option("--objects", options->objects, "only these object types (names or objectTypeIds)")
      ->delimiter(',');
  command->add_flag("--exclude-sensitive", options->is_sensitive_excluded,
                    "leave sensitive and highly sensitive properties out");
  command->add_flag("--encrypt", options->is_encrypted, "write an AES-256 encrypted zip");
  crm::cli::add_secret_file_option(*command, "--passphrase-file", options->passphrase);
  command->add_option("--note", options->note, "a note kept with the backup");
  command->add_option("--threads", options->threads, "compressing threads (default: one per core)")
      ->check(CLI::Range(1, 1024));
  command->add_option("--level", options->level, "deflate level, 1 (fastest) to 9 (smallest)")
      ->capture_default_str()
      ->check(CLI::Range(1, 9));
  command->add_flag("--require-remote", options->is_remote_required,
                    "exit 69 when the backup could not be copied to every remote");
  return {command, [options, &common] { return run_create(*options, common); }};
}

}  // namespace crm::backup_app
