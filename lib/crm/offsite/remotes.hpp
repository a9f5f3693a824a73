#pragma once
// The remote commands (docs/offsite.md): add, list, remove, import (disaster
// recovery: rebuild the catalog's knowledge of backups from a remote's
// sidecars), retention on a remote, and the newest copy on a remote (for
// monitoring).

#include <crm/base/clock.hpp>
#include <crm/catalog/remote_copies.hpp>
#include <crm/catalog/retention.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::offsite {

// Adds a remote (the repository is made when missing, like by create, so
// that a new machine can start with remote add + remote import). A bad name
// or destination, or a name in use: Error(usage). Nothing is uploaded until
// the next create or remote sync.
catalog::Remote add_remote(const std::filesystem::path& repository, std::string_view name, std::string_view destination,
                           const Clock& clock);

// Forgets the remote and its copy rows; the files on the remote stay.
// No such remote: Error(not_found).
void remove_remote(const std::filesystem::path& repository, std::string_view name);

struct RemoteSummary {
  catalog::Remote remote;
  std::int64_t copied = 0, pending = 0, failed = 0;
  std::optional<catalog::RemoteCopy> newest_copied;  // by the backup's snapshot time
};
std::vector<RemoteSummary> list_remotes(const std::filesystem::path& repository);

struct ImportReport {
  std::vector<std::string> imported;  // backup ids now known as copied on the remote, newest first
  std::vector<std::string> skipped;   // "<file>: why" (no archive beside the sidecar, a bad sidecar)
};

// Reads every sidecar <id>.json on the remote that has its archive beside it
// (same size as the sidecar says) and records the copy as copied, with the
// sidecar, so that list, verify, diff, download and restore find the backup.
// The archives are fetched, and checked, only when used.
ImportReport import_remote(const std::filesystem::path& repository, std::string_view name, const Clock& clock);

// Retention on one remote, independent of the repository's own: the rules of
// catalog::plan_retention over the backups copied there. Removed: the copy
// row becomes "pruned" (sync does not copy it again), then the sidecar and
// the archive on the remote go. Takes the remote
// lock (Error(temp_fail) when held) unless `is_dry_run`.
std::vector<catalog::PruneDecision> prune_remote(const std::filesystem::path& repository, std::string_view name,
                                                 const catalog::KeepRules& rules, UnixTime now, bool is_dry_run);

}  // namespace crm::offsite
