#include "crm/catalog/catalog.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

#include <charconv>
#include <unordered_map>

namespace crm::catalog {

namespace {

constexpr std::string_view k_last_backup_key = "last_backup_at";

constexpr std::string_view k_schema = R"sql(
CREATE TABLE backups (
  id                    TEXT PRIMARY KEY,
  created_at            INTEGER NOT NULL,
  archive_name          TEXT NOT NULL UNIQUE,
  size_bytes            INTEGER NOT NULL,
  sha256                TEXT NOT NULL,
  account_id            TEXT NOT NULL,
  user_name             TEXT NOT NULL,
  note                  TEXT NOT NULL,
  is_encrypted          INTEGER NOT NULL,
  is_sensitive_excluded INTEGER NOT NULL,
  format_version        INTEGER NOT NULL,
  state                 TEXT NOT NULL
);
CREATE INDEX backups_by_created_at ON backups (created_at);
CREATE TABLE backup_objects (
  backup_id    TEXT NOT NULL REFERENCES backups (id),
  object_name  TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  PRIMARY KEY (backup_id, object_name)
) WITHOUT ROWID;
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE schedule (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  is_enabled          INTEGER NOT NULL,
  every_weeks         INTEGER NOT NULL,
  weekday             INTEGER NOT NULL,
  hour                INTEGER NOT NULL,
  minute              INTEGER NOT NULL,
  time_zone           TEXT NOT NULL,
  enabled_at          INTEGER NOT NULL,
  user_name           TEXT NOT NULL,
  last_run_at         INTEGER,
  last_outcome        TEXT NOT NULL,
  last_attempted_slot INTEGER
);
)sql";

// Version 2: the journal (journal.hpp), the same for every store backend.
constexpr std::string_view k_journal_schema = R"sql(
CREATE TABLE restore_runs (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id        TEXT NOT NULL,
  user_name       TEXT NOT NULL,
  object_name     TEXT NOT NULL,
  object_type_id  TEXT NOT NULL,
  import_name     TEXT NOT NULL,
  plan            TEXT NOT NULL,
  plan_hash       TEXT NOT NULL,
  undo_file       TEXT NOT NULL,
  undo_sha256     TEXT NOT NULL,
  state           TEXT NOT NULL,
  started_at      INTEGER NOT NULL,
  finished_at     INTEGER NOT NULL,
  records_total   INTEGER NOT NULL,
  records_written INTEGER NOT NULL,
  records_failed  INTEGER NOT NULL,
  values_set      INTEGER NOT NULL,
  values_cleared  INTEGER NOT NULL,
  undo_of_import  INTEGER NOT NULL,
  details_json    TEXT NOT NULL,
  error           TEXT NOT NULL
);
CREATE INDEX restore_runs_by_plan ON restore_runs (store_id, plan_hash);
CREATE TABLE restore_failures (
  run_id    INTEGER NOT NULL REFERENCES restore_runs (id),
  record_id INTEGER NOT NULL,
  outcome   TEXT NOT NULL,
  reason    TEXT NOT NULL,
  PRIMARY KEY (run_id, record_id)
) WITHOUT ROWID;
CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id     TEXT NOT NULL,
  at           INTEGER NOT NULL,
  user_name    TEXT NOT NULL,
  action       TEXT NOT NULL,
  details_json TEXT NOT NULL
);
CREATE TABLE notifications (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  store_id  TEXT NOT NULL,
  at        INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  kind      TEXT NOT NULL,
  message   TEXT NOT NULL
);
CREATE TABLE second_factors (
  store_id        TEXT NOT NULL,
  user_name       TEXT NOT NULL,
  secret          TEXT NOT NULL,
  enrolled_at     INTEGER NOT NULL,
  last_step       INTEGER NOT NULL,
  failed_attempts INTEGER NOT NULL,
  locked_until    INTEGER NOT NULL,
  PRIMARY KEY (store_id, user_name)
) WITHOUT ROWID;
)sql";

// Version 3: off-site copies (remote_copies.hpp). Its own step, so that
// another schema change can be ordered before or after it.
constexpr std::string_view k_offsite_schema = R"sql(
CREATE TABLE remotes (
  name        TEXT PRIMARY KEY,
  destination TEXT NOT NULL,
  added_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE remote_copies (
  remote_name TEXT NOT NULL,
  backup_id   TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  state       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  attempts    INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  sidecar     TEXT NOT NULL,
  PRIMARY KEY (remote_name, backup_id)
) WITHOUT ROWID;
)sql";

// Version 4: when a backup was last verified, and what was found damaged.
constexpr std::string_view k_verification_schema = R"sql(
ALTER TABLE backups ADD COLUMN verified_at INTEGER;
ALTER TABLE backups ADD COLUMN damage TEXT NOT NULL DEFAULT '';
)sql";

// Version 5: the position of each object in its backup, so that listings
// follow the backup's own order (the manifest's) rather than the alphabet.
// Objects of older backups all hold position 0 and list by name.
constexpr std::string_view k_object_order_schema = R"sql(
ALTER TABLE backup_objects ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
)sql";

// The steps that bring a catalog of version `from` to `from + 1`, in order.
struct SchemaStep {
  int from;
  std::string_view sql;
};
constexpr SchemaStep k_schema_steps[] = {
    {1, k_journal_schema},
    {2, k_offsite_schema},
    {3, k_verification_schema},
    {4, k_object_order_schema},
};

constexpr std::string_view k_backup_columns =
    "id, created_at, archive_name, size_bytes, sha256, account_id, user_name, note, is_encrypted, "
    "is_sensitive_excluded, format_version, state";

BackupRecord record_from_row(const sql::Statement& row)
{
  BackupRecord record;
  record.id = row.text(0);
  record.created_at = row.integer(1);
  record.archive_name = row.text(2);
  record.size_bytes = row.integer(3);
  record.sha256 = row.text(4);
  record.account_id = row.text(5);
  record.user = row.text(6);
  record.note = row.text(7);
  record.is_encrypted = row.integer(8) != 0;
  record.is_sensitive_excluded = row.integer(9) != 0;
  record.format_version = static_cast<int>(row.integer(10));
  record.state = parse_backup_state(row.text(11));
  if (!row.is_null(12))
    record.verified_at = row.integer(12);
  record.damage = row.text(13);
  return record;
}

std::optional<UnixTime> optional_time(const sql::Statement& row, int column)
{
  if (row.is_null(column))
    return std::nullopt;
  return row.integer(column);
}

void bind_optional_time(sql::Statement& statement, int index, std::optional<UnixTime> time)
{
  if (time)
    statement.bind(index, *time);
  else
    statement.bind_null(index);
}

}  // namespace

Catalog::Catalog(const std::filesystem::path& file, sql::OpenMode mode) : m_db(file, mode, "backup catalog") {}

int Catalog::schema_version() { return m_db.user_version(); }

void Catalog::initialise()
{
  sql::Transaction transaction(m_db, sql::TransactionKind::immediate);
  if (m_db.user_version() != 0)
    return;
  m_db.exec(k_schema);
  for (const SchemaStep& step : k_schema_steps)
    m_db.exec(step.sql);
  m_db.set_user_version(k_schema_version);
  transaction.commit();
}

void Catalog::upgrade()
{
  sql::Transaction transaction(m_db, sql::TransactionKind::immediate);
  for (const SchemaStep& step : k_schema_steps) {
    if (m_db.user_version() == step.from) {
      m_db.exec(step.sql);
      m_db.set_user_version(step.from + 1);
    }
  }
  transaction.commit();
}

void Catalog::insert(const BackupRecord& record)
{
  sql::Transaction transaction(m_db, sql::TransactionKind::immediate);
  auto insert_backup =
      m_db.prepare(fmt::format("INSERT INTO backups ({}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", k_backup_columns));
  insert_backup.bind(1, record.id)
      .bind(2, record.created_at)
      .bind(3, record.archive_name)
      .bind(4, record.size_bytes)
      .bind(5, record.sha256)
      .bind(6, record.account_id)
      .bind(7, record.user)
      .bind(8, record.note)
      .bind(9, record.is_encrypted ? 1 : 0)
      .bind(10, record.is_sensitive_excluded ? 1 : 0)
      .bind(11, record.format_version)
      .bind(12, to_string(record.state));
  insert_backup.run();
  auto insert_object =
      m_db.prepare("INSERT INTO backup_objects (backup_id, object_name, record_count, position) VALUES (?, ?, ?, ?)");
  int64_t position = 0;
  for (const auto& [name, count] : record.objects) {
    insert_object.bind(1, record.id).bind(2, name).bind(3, count).bind(4, position++);
    insert_object.run();
  }
  const std::optional<UnixTime> previous = stored_last_backup_at();
  if (!previous || record.created_at > *previous)
    set_setting(k_last_backup_key, std::to_string(record.created_at));
  transaction.commit();
}

void Catalog::erase(std::span<const std::string> ids)
{
  sql::Transaction transaction(m_db, sql::TransactionKind::immediate);
  auto erase_objects = m_db.prepare("DELETE FROM backup_objects WHERE backup_id = ?");
  auto erase_backup = m_db.prepare("DELETE FROM backups WHERE id = ?");
  for (const std::string& id : ids) {
    erase_objects.bind(1, id);
    erase_objects.run();
    erase_backup.bind(1, id);
    erase_backup.run();
  }
  transaction.commit();
}

void Catalog::set_state(std::string_view id, BackupState state, UnixTime at, std::string_view damage)
{
  auto update = m_db.prepare("UPDATE backups SET state = ?, verified_at = ?, damage = ? WHERE id = ?");
  update.bind(1, to_string(state)).bind(2, at).bind(3, damage).bind(4, id);
  update.run();
}

std::string Catalog::backup_columns()
{
  // A catalog of version 3, read by a reader that may not upgrade it, has no
  // verification columns yet: it reads as never verified.
  return fmt::format("{}, {}", k_backup_columns,
                     m_db.user_version() >= 4 ? "verified_at, damage" : "NULL AS verified_at, '' AS damage");
}

std::string Catalog::object_order()
{
  // A catalog older than version 5, read without upgrading, has no positions.
  return m_db.user_version() >= 5 ? "position, object_name" : "object_name";
}

std::vector<BackupRecord> Catalog::list()
{
  std::vector<BackupRecord> records;
  std::unordered_map<std::string, std::size_t> index_of;
  auto backups =
      m_db.prepare(fmt::format("SELECT {} FROM backups ORDER BY created_at DESC, rowid DESC", backup_columns()));
  while (backups.step()) {
    records.push_back(record_from_row(backups));
    index_of.emplace(records.back().id, records.size() - 1);
  }
  auto objects = m_db.prepare(
      fmt::format("SELECT backup_id, object_name, record_count FROM backup_objects ORDER BY {}", object_order()));
  while (objects.step()) {
    const auto found = index_of.find(std::string(objects.text(0)));
    if (found != index_of.end())
      records[found->second].objects.emplace_back(objects.text(1), objects.integer(2));
  }
  return records;
}

std::optional<BackupRecord> Catalog::find(std::string_view id)
{
  auto backup = m_db.prepare(fmt::format("SELECT {} FROM backups WHERE id = ?", backup_columns()));
  backup.bind(1, id);
  if (!backup.step())
    return std::nullopt;
  BackupRecord record = record_from_row(backup);
  auto objects = m_db.prepare(fmt::format(
      "SELECT object_name, record_count FROM backup_objects WHERE backup_id = ? ORDER BY {}", object_order()));
  objects.bind(1, id);
  while (objects.step())
    record.objects.emplace_back(objects.text(0), objects.integer(1));
  return record;
}

bool Catalog::has_backup(std::string_view id)
{
  auto backup = m_db.prepare("SELECT 1 FROM backups WHERE id = ?");
  backup.bind(1, id);
  return backup.step();
}

std::optional<UnixTime> Catalog::stored_last_backup_at()
{
  const auto stored = setting(k_last_backup_key);
  if (!stored)
    return std::nullopt;
  UnixTime value = 0;
  const auto [end, error] = std::from_chars(stored->data(), stored->data() + stored->size(), value);
  if (error != std::errc{} || end != stored->data() + stored->size())
    throw Error(ErrorKind::data,
                fmt::format("the backup catalog {} holds a bad {} setting '{}'", m_db.path().string(),
                            k_last_backup_key, *stored),
                "the catalog was edited by hand; restore it or remove the setting");
  return value;
}

std::optional<UnixTime> Catalog::last_backup_at()
{
  std::optional<UnixTime> newest = stored_last_backup_at();
  auto backups = m_db.prepare("SELECT max(created_at) FROM backups");
  if (backups.step() && !backups.is_null(0) && (!newest || backups.integer(0) > *newest))
    newest = backups.integer(0);
  return newest;
}

std::optional<std::string> Catalog::setting(std::string_view key)
{
  auto select = m_db.prepare("SELECT value FROM settings WHERE key = ?");
  select.bind(1, key);
  if (!select.step())
    return std::nullopt;
  return std::string(select.text(0));
}

std::map<std::string, std::string, std::less<>> Catalog::settings()
{
  std::map<std::string, std::string, std::less<>> settings;
  auto select = m_db.prepare("SELECT key, value FROM settings");
  while (select.step())
    settings.emplace(std::string(select.text(0)), std::string(select.text(1)));
  return settings;
}

void Catalog::set_setting(std::string_view key, std::string_view value)
{
  auto upsert = m_db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  upsert.bind(1, key).bind(2, value);
  upsert.run();
}

void Catalog::erase_setting(std::string_view key)
{
  auto erase = m_db.prepare("DELETE FROM settings WHERE key = ?");
  erase.bind(1, key);
  erase.run();
}

std::optional<ScheduleRecord> Catalog::schedule()
{
  auto select = m_db.prepare("SELECT is_enabled, every_weeks, weekday, hour, minute, time_zone, enabled_at, "
                             "user_name, last_run_at, last_outcome, last_attempted_slot FROM schedule WHERE id = 1");
  if (!select.step())
    return std::nullopt;
  ScheduleRecord schedule;
  schedule.is_enabled = select.integer(0) != 0;
  schedule.every_weeks = static_cast<int>(select.integer(1));
  schedule.weekday = static_cast<int>(select.integer(2));
  schedule.hour = static_cast<int>(select.integer(3));
  schedule.minute = static_cast<int>(select.integer(4));
  schedule.time_zone = select.text(5);
  schedule.enabled_at = select.integer(6);
  schedule.user = select.text(7);
  schedule.last_run_at = optional_time(select, 8);
  schedule.last_outcome = select.text(9);
  schedule.last_attempted_slot = optional_time(select, 10);
  return schedule;
}

void Catalog::set_schedule(const ScheduleRecord& schedule)
{
  auto upsert = m_db.prepare(
      "INSERT OR REPLACE INTO schedule (id, is_enabled, every_weeks, weekday, hour, minute, time_zone, enabled_at, "
      "user_name, last_run_at, last_outcome, last_attempted_slot) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  upsert.bind(1, schedule.is_enabled ? 1 : 0)
      .bind(2, schedule.every_weeks)
      .bind(3, schedule.weekday)
      .bind(4, schedule.hour)
      .bind(5, schedule.minute)
      .bind(6, schedule.time_zone)
      .bind(7, schedule.enabled_at)
      .bind(8, schedule.user);
  bind_optional_time(upsert, 9, schedule.last_run_at);
  upsert.bind(10, schedule.last_outcome);
  bind_optional_time(upsert, 11, schedule.last_attempted_slot);
  upsert.run();
}

}  // namespace crm::catalog
