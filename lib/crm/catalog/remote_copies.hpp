#pragma once
// The off-site part of the catalog (schema version 3, docs/offsite.md): the
// remotes a repository copies its backups to, and the state of each backup's
// copy on each remote. A copy row keeps the backup's sidecar (the catalog row,
// the archive's SHA-256 and size, the manifest) so that a backup whose local
// archive was pruned, or that was imported from a remote, can still be found,
// fetched and checked. Only the rows: offsite/ talks to the remotes.

#include <crm/base/clock.hpp>
#include <crm/sql/database.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::catalog {

struct Remote {
  std::string name;         // "offsite", [a-z0-9][a-z0-9_-]*
  std::string destination;  // an rclone remote and path ("s3-backups:acme/crm") or a local directory
  UnixTime added_at = 0;
};

// pending: not copied yet (the remote could not be reached or refused, or no
// attempt was made); the next create or `remote sync` tries again.
// copied: uploaded under a temporary name, renamed, and checked by size and hash.
// failed: an attempt reached the remote but the copy did not check out, or the
// local archive was gone or damaged; `remote sync` tries again while the local
// archive exists.
// pruned: removed from the remote by its retention (prune --remote); never
// copied again.
enum class CopyState { pending, copied, failed, pruned };
std::string_view to_string(CopyState state);
CopyState parse_copy_state(std::string_view text);

struct RemoteCopy {
  std::string remote_name;
  std::string backup_id;
  UnixTime created_at = 0;  // the backup's snapshot time
  CopyState state = CopyState::pending;
  std::string reason;  // why the last attempt failed; empty once copied
  std::int64_t attempts = 0;
  UnixTime updated_at = 0;  // of the last state change (for copied: when it was checked)
  std::string sidecar;      // the sidecar's JSON text
};

class RemoteCopies {
public:
  // Opens the off-site tables of the repository in `directory` (its catalog
  // must exist; Repository::open makes and upgrades it).
  RemoteCopies(const std::filesystem::path& directory, sql::OpenMode mode);

  // Error(usage) when a remote of that name exists.
  void add_remote(const Remote& remote);
  // Removes the remote and its copy rows (the files on the remote stay).
  // False when there was no such remote.
  bool remove_remote(std::string_view name);
  std::vector<Remote> remotes();  // by name
  std::optional<Remote> find_remote(std::string_view name);

  // Inserts a pending row unless the copy has one; returns the row as stored.
  RemoteCopy ensure_copy(const RemoteCopy& copy);
  // Records an attempt's outcome (counts the attempt).
  void record_attempt(std::string_view remote_name, std::string_view backup_id, CopyState state,
                      std::string_view reason, UnixTime at);
  // Inserts or replaces a row as it is (import).
  void put_copy(const RemoteCopy& copy);
  void erase_copy(std::string_view remote_name, std::string_view backup_id);
  // `remote_name` empty: every remote's. Newest backup first.
  std::vector<RemoteCopy> copies(std::string_view remote_name = {});
  std::vector<RemoteCopy> copies_of(std::string_view backup_id);

private:
  bool has_tables();
  // `insert` is "INSERT OR IGNORE" or "INSERT OR REPLACE": every column of `copy`.
  void write_copy(std::string_view insert, const RemoteCopy& copy);

  sql::Database m_db;
};

}  // namespace crm::catalog
