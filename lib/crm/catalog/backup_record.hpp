#pragma once
// One backup as the catalog knows it: a row of catalog.sqlite describing one
// complete archive file in the repository directory.

#include <crm/base/clock.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crm::catalog {

enum class BackupState {
  complete,  // published: the archive is whole and its checksum recorded
  verified,  // `verify` checked it against its manifest and found it sound
  damaged,   // `verify` found it corrupt or tampered with
};

// "complete", "verified", "damaged"; parse throws Error(data) on other text.
std::string_view to_string(BackupState state);
BackupState parse_backup_state(std::string_view text);

struct BackupRecord {
  std::string id;            // "20260125T020000Z-3f9a" (backup_id.hpp)
  UnixTime created_at = 0;   // the snapshot time: frequency and the download window count from it
  std::string archive_name;  // "crm-backup-<id>.zip", in the repository directory
  std::int64_t size_bytes = 0;
  std::string sha256;  // lowercase hex of the whole archive file
  std::string account_id;
  std::string user;  // who made it
  std::string note;
  bool is_encrypted = false;
  bool is_sensitive_excluded = false;
  // Object name and record count, in backup order (the manifest's).
  std::vector<std::pair<std::string, std::int64_t>> objects;
  int format_version = 0;  // of the archive (docs/backup-format.md); the caller sets it
  BackupState state = BackupState::complete;
  // When verify set the state to verified or damaged, and what it found
  // damaged ("contacts.csv: its SHA-256 does not match the manifest").
  std::optional<UnixTime> verified_at;
  std::string damage;

  std::int64_t total_records() const;
};

}  // namespace crm::catalog
