#pragma once
// Copies backups to the repository's remotes (docs/offsite.md). Every backup
// that has its archive in the repository gets a copy row per remote
// (pending); each pending or failed copy is tried: the archive (checked
// against its recorded SHA-256 first) and then its sidecar are uploaded
// through RemoteDirectory::upload, so a remote holds a sidecar only beside a
// whole, checked archive. The outcome goes into the catalog: copied; pending
// with the reason when the remote could not be reached or refused (the next
// create or `remote sync` tries again); failed with the reason when the copy
// did not check out or the local archive is damaged or gone.
//
// One process copies at a time: the lock file `remote.lock` in the
// repository (crm::FileLock; the kernel frees it when the holder dies). Holding it,
// the temporary files a killed upload left on a remote are removed first.

#include <crm/base/clock.hpp>
#include <crm/catalog/remote_copies.hpp>
#include <crm/notify/notifier.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace crm::offsite {

struct CopyOutcome {
  std::string remote_name;
  std::string destination;
  std::string backup_id;
  catalog::CopyState state = catalog::CopyState::pending;
  std::string reason;  // empty when copied
};

struct SyncReport {
  std::vector<CopyOutcome> outcomes;  // one per copy tried in this run, oldest backup first
  bool is_lock_held = false;          // another process was copying; nothing was tried

  bool is_complete() const;  // every copy tried was copied
};

// The name of the lock file in the repository.
inline constexpr std::string_view k_remote_lock_name = "remote.lock";

// Tries every copy that is not copied yet, to every remote (or only to
// `only_remote`: Error(not_found) when there is no such remote). Needs a
// repository that exists. When another process holds the remote lock,
// returns a report with is_lock_held and tries nothing.
SyncReport sync(const std::filesystem::path& repository, const Clock& clock, std::string_view only_remote = {});

// The copy after a successful create, called by `crm-backup create` and by
// `crm-schedule run`: a sync to every remote. Prints one line per copy
// ("backup <id> copied to remote <name>", or a warning saying it stays
// pending and why). A remote that is down never fails the local backup,
// unless `is_remote_required`: then a copy that is not copied is
// Error(unavailable) (69), and the lines that the create printed through
// print_line() are held back so that the error is the one stderr line.
class CopyAfterCreate {
public:
  CopyAfterCreate(std::filesystem::path repository, bool is_remote_required, notify::LineFn print_line);

  // What the create should print its lines through.
  notify::LineFn print_line();
  // Copies; returns the exit code (0), or throws as above.
  int copy(std::string_view backup_id, const Clock& clock);

private:
  std::filesystem::path m_repository;
  bool m_is_remote_required;
  notify::LineFn m_print_line;
  std::vector<std::string> m_held_lines;
};

}  // namespace crm::offsite
