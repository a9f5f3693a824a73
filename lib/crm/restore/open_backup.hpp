#pragma once
// Finds and opens the backup a plan is made from: `backup` is a file when one
// exists at that path, otherwise a backup id looked up in the repository. A
// zip holding manifest.json is a crm-backup archive (verified completely
// before anything is read); a file given by path without one is taken as a
// hosted CRM export.
//
// A backup id must name a backup inside its download window (expired:
// Error(not_found) with the date) whose archive matches the SHA-256 the
// catalog recorded and, when recorded as encrypted, is AES-encrypted
// throughout (snapshot::checked_archive); its archive must hold a manifest
// (Error(data) otherwise).

#include <crm/base/clock.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/restore/backup_source.hpp>
#include <crm/store/store.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace crm::restore {

// `repo` may be empty when `backup` is a file. `live` maps a hosted export's
// headers to properties; `object_name` is the object the plan is about.
std::unique_ptr<BackupSource> open_backup(const std::string& backup, const std::filesystem::path& repo,
                                          const std::optional<SecretString>& passphrase, store::Reader& live,
                                          std::string_view object_name, const Clock& clock = SystemClock());

}  // namespace crm::restore
