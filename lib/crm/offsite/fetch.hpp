#pragma once
// Backups read back from a remote (docs/offsite.md): for `verify --remote`,
// and for any backup whose archive is no longer in the repository (pruned
// there, or known only from `remote import`), so that verify, diff, show,
// download and restore work on it as on a local one. The archive is streamed
// into a private scratch directory, hashed as it arrives, and used only when
// its size and SHA-256 are those recorded when it was made (the catalog row
// when the repository still has it, otherwise the sidecar); when recorded as
// encrypted, every entry must be AES-encrypted. Otherwise Error(data) and
// nothing is used.

#include <crm/base/clock.hpp>
#include <crm/catalog/backup_record.hpp>
#include <crm/catalog/download.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/offsite/scratch_directory.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace crm::offsite {

struct ResolvedArchive {
  std::filesystem::path path;
  catalog::BackupRecord record;
  std::string remote_name;  // empty: the repository's own archive
  // Holds a fetched archive; keep it as long as `path` is read.
  std::shared_ptr<ScratchDirectory> scratch;
};

// Fetches backup `id` from remote `remote_name`, or, when it is empty, from
// the first remote (by name) that holds a checked copy. No copied copy
// there: Error(not_found). The remote cannot be reached: Error(unavailable).
ResolvedArchive fetch(catalog::Repository& repository, std::string_view id, std::string_view remote_name = {});

// The archive of backup `id`: the repository's own (snapshot::checked_archive)
// while the repository holds it, otherwise fetched from a remote. Neither:
// Error(not_found) "no backup <id> in <repo>".
ResolvedArchive resolve(catalog::Repository& repository, std::string_view id);

// `crm-backup verify --remote`: fetch() from `remote_name`; a copy that does
// not match its SHA-256 is also recorded as failed (when the repository can
// be written), so that `remote sync` copies it again while the repository
// holds the backup, and restores fetch from another remote meanwhile.
ResolvedArchive fetch_for_verify(const std::filesystem::path& repository, std::string_view id,
                                 std::string_view remote_name, const Clock& clock);

// `crm-backup download` of a backup whose archive the repository no longer
// holds: fetched and checked as above, then copied to `out` (a file, or a
// directory to put the archive name in) through an AtomicFile (0600).
catalog::DownloadResult download_copy(catalog::Repository& repository, std::string_view id,
                                      const std::filesystem::path& out);

// True when the repository holds backup `id` (its row, hence its archive).
bool is_local_backup(catalog::Repository& repository, std::string_view id);

}  // namespace crm::offsite
