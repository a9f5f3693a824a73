#pragma once
// One SQLite connection to a store, set up the way every store user needs it.
//
// Read-write connections run with foreign_keys=ON and a busy timeout (WAL mode
// is a property of the file, set when the store is created).
//
// Read-only connections never write the database file. SQLite still needs
// the -wal and -shm companion files to read a WAL database safely while
// others write (the -shm is where a reader registers the snapshot it uses, so
// that a writer's checkpoint does not overwrite pages under it), and creates
// them when they are missing. So that opening a store read-only leaves the
// directory as it found it, the last connection of this process that closes
// removes companions that were absent when the first one opened, provided no
// other connection anywhere holds the database (checked with the same lock
// SQLite itself uses for that decision) and the -wal holds no data.
// docs/store-schema.md tells the whole story.

#include <crm/sql/database.hpp>

#include <filesystem>
#include <optional>

namespace crm::store::sqlite {

class Connection {
public:
  // Error(not_found) when `path` does not exist.
  Connection(const std::filesystem::path& path, bool is_writable);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sql::Database& database() { return *m_database; }

private:
  std::string m_key;  // device and inode: the process-wide registry's key
  std::optional<sql::Database> m_database;
};

}  // namespace crm::store::sqlite
