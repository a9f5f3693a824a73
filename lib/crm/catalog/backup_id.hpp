#pragma once
// Backup ids and archive file names (docs/repository.md).
//
// An id is the snapshot time in UTC, compact ISO 8601, and four random hex
// digits: "20260125T020000Z-3f9a". Ids sort by snapshot time as plain text,
// read as a date, and two backups of the same second still differ. The
// archive of backup <id> is "crm-backup-<id>.zip" in the repository directory.

#include <crm/base/clock.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crm::catalog {

// A fresh id for a snapshot taken at `snapshot_time` (the random part comes
// from std::random_device; callers retry on the rare collision).
std::string make_backup_id(UnixTime snapshot_time);

// True when `text` has the form of an id ("YYYYMMDDTHHMMSSZ-xxxx", lowercase hex).
bool is_backup_id(std::string_view text);

// "crm-backup-<id>.zip".
std::string archive_name_for(std::string_view id);

// The id inside an archive file name; std::nullopt for any other name
// (temporary files, the catalog, the lock, files a user left there).
std::optional<std::string> id_from_archive_name(std::string_view file_name);

}  // namespace crm::catalog
