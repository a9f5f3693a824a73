#pragma once
// The one reading of a command line's "backup id or archive file" (crm-backup
// verify, show, diff; crm-restore plan --backup).

#include <crm/offsite/fetch.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace crm::offsite {

// A file when one exists at `id_or_file`, as it is (an empty record: nothing
// vouches for it but its own checks); otherwise a backup id in the repository
// at `repo`, resolve()d: the repository's own archive, checked against its
// recorded SHA-256, or a copy fetched from a remote. A name that looks like a
// path ('/' or ".zip") but is no file: Error(not_found); an id while `repo` is
// empty: Error(usage). Keep the result while its path is read.
ResolvedArchive resolve_id_or_file(const std::string& id_or_file, const std::filesystem::path& repo);

// The backup id of a resolved archive: the catalog's, or for a file the id
// its name carries ("crm-backup-<id>.zip"); std::nullopt for a file named
// otherwise.
std::optional<std::string> backup_id_of(const ResolvedArchive& archive);

}  // namespace crm::offsite
