#pragma once
// catalog.sqlite: the rows of a backup repository (docs/repository.md has the
// schema). Only the rows: Repository owns the directory, the archive files and
// the order in which files and rows change.

#include <crm/base/clock.hpp>
#include <crm/catalog/backup_record.hpp>
#include <crm/catalog/schedule_record.hpp>
#include <crm/sql/database.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crm::catalog {

class Catalog {
public:
  // The schema this build writes; PRAGMA user_version holds a catalog's own.
  // 2 adds the journal (journal.hpp), 3 the off-site copies (remote_copies.hpp),
  // 4 the outcome of verify (BackupRecord::verified_at, damage).
  static constexpr int k_schema_version = 5;

  Catalog(const std::filesystem::path& file, sql::OpenMode mode);

  // 0 for a catalog file without a schema yet (made but never initialised).
  int schema_version();
  // Creates the schema in a file whose version is 0; does nothing otherwise.
  void initialise();
  // Brings an older schema up to k_schema_version; needs write access.
  void upgrade();

  // Inserts `record` and its object counts in one transaction, and advances
  // the newest-backup time that frequency limits count from.
  void insert(const BackupRecord& record);
  // Deletes the rows of `ids` (and their object counts) in one transaction.
  void erase(std::span<const std::string> ids);
  // Records what verify found at `at`: verified, or damaged and how.
  void set_state(std::string_view id, BackupState state, UnixTime at, std::string_view damage);

  // Newest first (by snapshot time, then by publication order).
  std::vector<BackupRecord> list();
  std::optional<BackupRecord> find(std::string_view id);
  bool has_backup(std::string_view id);
  // The snapshot time of the newest backup ever inserted, removed ones
  // included, so that removing a backup does not lift a frequency limit.
  std::optional<UnixTime> last_backup_at();

  std::optional<std::string> setting(std::string_view key);
  std::map<std::string, std::string, std::less<>> settings();
  void set_setting(std::string_view key, std::string_view value);
  void erase_setting(std::string_view key);

  std::optional<ScheduleRecord> schedule();
  void set_schedule(const ScheduleRecord& schedule);

private:
  // The columns record_from_row reads, for this catalog's version.
  std::string backup_columns();
  // The ORDER BY that lists a backup's objects in its own order.
  std::string object_order();
  // The "last_backup_at" setting alone, which insert() advances.
  std::optional<UnixTime> stored_last_backup_at();

  sql::Database m_db;
};

}  // namespace crm::catalog
