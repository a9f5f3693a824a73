#pragma once
// Encrypted scheduled backups (docs/scheduling.md, "Encrypted backups"). The
// schedule remembers where the passphrase is -- the path of a file, in the
// repository's settings -- never the passphrase itself. When a slot is due,
// `run` reads the passphrase from, in this order:
//  1. $CREDENTIALS_DIRECTORY/passphrase, when that file exists: systemd hands
//     the file over this way (LoadCredential=passphrase:FILE in the service
//     that `crm-schedule systemd-unit` prints), so the service's user needs
//     no readable copy of its own;
//  2. the schedule's passphrase file (under cron, or a run by hand).
// The schedule's file must be private to its owner (mode 0600 or 0400);
// systemd's credential is systemd's to protect. CRM_BACKUP_PASSPHRASE
// and --passphrase-file belong to the commands a person runs (crm-backup
// create, verify, ...); a scheduled backup reads neither and never prompts.

#include <crm/catalog/repository.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace crm::schedule {

// The credential's name in LoadCredential= and under $CREDENTIALS_DIRECTORY.
constexpr std::string_view k_passphrase_credential = "passphrase";
constexpr std::string_view k_credentials_directory_env = "CREDENTIALS_DIRECTORY";

// Where a scheduled backup's passphrase is read from.
struct PassphraseSource {
  std::filesystem::path path;
  bool is_credential = false;  // systemd's credential, not the schedule's file
};

// The source `run` reads now: the systemd credential when
// $CREDENTIALS_DIRECTORY/passphrase exists, otherwise `schedule_file`.
PassphraseSource passphrase_source(const std::filesystem::path& schedule_file);

// "the passphrase file /etc/crm/passphrase", "the systemd credential
// /run/credentials/crm-schedule.service/passphrase".
std::string describe(const PassphraseSource& source);

// The passphrase. Whatever stops it -- the file missing, unreadable, empty,
// or (the schedule's file) readable by group or others -- is Error(config)
// naming the file (never its content) and what to do: the schedule cannot
// run as configured.
std::string read_passphrase(const PassphraseSource& source);

// What would make read_passphrase fail now, found without reading the
// secret ("" when nothing): for `status`.
std::string passphrase_problem(const PassphraseSource& source);

// Refuses a file that cannot serve as the schedule's passphrase file: missing
// (not_found), not a regular file (usage), or readable or writable by group or
// others (no_permission). Reads nothing: under systemd the file may belong to
// root, who hands it over.
void require_passphrase_file(const std::filesystem::path& file);

// The schedule's passphrase file, or none when scheduled backups are not
// encrypted.
std::optional<std::filesystem::path> passphrase_file(catalog::Repository& repository);
// Stores `file` (none: scheduled backups are no longer encrypted). The
// repository must be open for writing.
void set_passphrase_file(catalog::Repository& repository, const std::optional<std::filesystem::path>& file);
// passphrase_file() of the repository at `directory`; none when there is no
// repository there yet.
std::optional<std::filesystem::path> passphrase_file_of(const std::filesystem::path& directory);

}  // namespace crm::schedule
