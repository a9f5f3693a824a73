#include "crm/catalog/journal.hpp"

#include <crm/base/error.hpp>
#include <crm/catalog/state_names.hpp>
#include <crm/crypto/sha256.hpp>

#include <fmt/format.h>

#include <array>

namespace crm::catalog {

namespace {

constexpr std::array<std::string_view, 5> k_run_state_names{"planned", "applying", "applied", "partly_applied",
                                                            "failed"};

constexpr Journal::EntryTable k_audit_table{"audit_log", "action", "details_json"};
constexpr Journal::EntryTable k_notification_table{"notifications", "kind", "message"};

constexpr std::string_view k_run_columns =
    "id, store_id, user_name, object_name, object_type_id, import_name, plan, plan_hash, undo_file, undo_sha256, "
    "state, started_at, finished_at, records_total, records_written, records_failed, values_set, values_cleared, "
    "undo_of_import, details_json, error";

RestoreRun run_from_row(const sql::Statement& row)
{
  RestoreRun run;
  run.id = row.integer(0);
  run.store_id = row.text(1);
  run.user = row.text(2);
  run.object_name = row.text(3);
  run.object_type_id = row.text(4);
  run.import_name = row.text(5);
  run.plan = row.text(6);
  run.plan_hash = row.text(7);
  run.undo_file = row.text(8);
  run.undo_sha256 = row.text(9);
  run.state = parse_run_state(row.text(10));
  run.started_at = row.integer(11);
  run.finished_at = row.integer(12);
  run.records_total = row.integer(13);
  run.records_written = row.integer(14);
  run.records_failed = row.integer(15);
  run.values_set = row.integer(16);
  run.values_cleared = row.integer(17);
  run.undo_of_import = row.integer(18);
  run.details_json = row.text(19);
  run.error = row.text(20);
  return run;
}

// Binds every column but id, from parameter 1 on.
void bind_run(sql::Statement& statement, const RestoreRun& run)
{
  statement.bind(1, run.store_id)
      .bind(2, run.user)
      .bind(3, run.object_name)
      .bind(4, run.object_type_id)
      .bind(5, run.import_name)
      .bind(6, run.plan)
      .bind(7, run.plan_hash)
      .bind(8, run.undo_file)
      .bind(9, run.undo_sha256)
      .bind(10, to_string(run.state))
      .bind(11, run.started_at)
      .bind(12, run.finished_at)
      .bind(13, run.records_total)
      .bind(14, run.records_written)
      .bind(15, run.records_failed)
      .bind(16, run.values_set)
      .bind(17, run.values_cleared)
      .bind(18, run.undo_of_import)
      .bind(19, run.details_json.empty() ? std::string_view("{}") : std::string_view(run.details_json))
      .bind(20, run.error);
}

constexpr std::string_view k_run_assignments =
    "store_id = ?1, user_name = ?2, object_name = ?3, object_type_id = ?4, import_name = ?5, plan = ?6, "
    "plan_hash = ?7, undo_file = ?8, undo_sha256 = ?9, state = ?10, started_at = ?11, finished_at = ?12, "
    "records_total = ?13, records_written = ?14, records_failed = ?15, values_set = ?16, values_cleared = ?17, "
    "undo_of_import = ?18, details_json = ?19, error = ?20";

void run_update(sql::Database& db, const RestoreRun& run)
{
  auto update = db.prepare(fmt::format("UPDATE restore_runs SET {} WHERE id = ?21", k_run_assignments));
  bind_run(update, run);
  update.bind(21, run.id);
  update.run();
  if (db.changes() != 1)
    throw Error(ErrorKind::internal, fmt::format("restore run {} is not in the journal", run.id),
                "this is a bug; please report it");
}

}  // namespace

std::string_view to_string(RunState state) { return state_name(k_run_state_names, state); }

RunState parse_run_state(std::string_view text)
{
  return parse_state_name<RunState>(k_run_state_names, text, "restore state");
}

Journal::Journal(const std::filesystem::path& directory, sql::OpenMode mode)
    : m_directory(directory), m_db(directory / "catalog.sqlite", mode, "backup catalog")
{
}

bool Journal::has_journal() { return m_db.user_version() >= 2; }

std::int64_t Journal::add_run(const RestoreRun& run)
{
  auto insert = m_db.prepare(fmt::format(
      "INSERT INTO restore_runs ({}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
      "?15, ?16, ?17, ?18, ?19, ?20)",
      k_run_columns));
  bind_run(insert, run);
  insert.run();
  return m_db.last_insert_rowid();
}

void Journal::update_run(const RestoreRun& run) { run_update(m_db, run); }

std::optional<RestoreRun> Journal::find_run(std::int64_t id)
{
  if (!has_journal())
    return std::nullopt;
  auto select = m_db.prepare(fmt::format("SELECT {} FROM restore_runs WHERE id = ?1", k_run_columns));
  select.bind(1, id);
  if (!select.step())
    return std::nullopt;
  return run_from_row(select);
}

std::optional<RestoreRun> Journal::unfinished_run(std::string_view store_id, std::string_view plan_hash)
{
  if (!has_journal())
    return std::nullopt;
  auto select =
      m_db.prepare(fmt::format("SELECT {} FROM restore_runs WHERE store_id = ?1 AND plan_hash = ?2 AND state IN "
                               "('planned', 'applying', 'partly_applied') ORDER BY id DESC LIMIT 1",
                               k_run_columns));
  select.bind(1, store_id).bind(2, plan_hash);
  if (!select.step())
    return std::nullopt;
  return run_from_row(select);
}

std::vector<RestoreRun> Journal::runs(std::string_view store_id)
{
  std::vector<RestoreRun> runs;
  if (!has_journal())
    return runs;
  auto select = m_db.prepare(
      fmt::format("SELECT {} FROM restore_runs WHERE ?1 = '' OR store_id = ?1 ORDER BY id DESC", k_run_columns));
  select.bind(1, store_id);
  while (select.step())
    runs.push_back(run_from_row(select));
  return runs;
}

void Journal::record_batch(const RestoreRun& run, const std::vector<RecordFailure>& failures)
{
  sql::Transaction transaction(m_db, sql::TransactionKind::immediate);
  auto insert = m_db.prepare("INSERT OR REPLACE INTO restore_failures (run_id, record_id, outcome, reason) "
                             "VALUES (?1, ?2, ?3, ?4)");
  for (const auto& failure : failures) {
    insert.bind(1, run.id).bind(2, failure.id).bind(3, failure.outcome).bind(4, failure.reason);
    insert.run();
  }
  run_update(m_db, run);
  transaction.commit();
}

std::vector<RecordFailure> Journal::failures(std::int64_t run_id)
{
  std::vector<RecordFailure> failures;
  if (!has_journal())
    return failures;
  auto select =
      m_db.prepare("SELECT record_id, outcome, reason FROM restore_failures WHERE run_id = ?1 ORDER BY record_id");
  select.bind(1, run_id);
  while (select.step())
    failures.push_back({select.integer(0), std::string(select.text(1)), std::string(select.text(2))});
  return failures;
}

void Journal::clear_failures(std::int64_t run_id)
{
  auto erase = m_db.prepare("DELETE FROM restore_failures WHERE run_id = ?1");
  erase.bind(1, run_id);
  erase.run();
}

void Journal::add_audit(std::string_view store_id, const store::AuditEntry& entry)
{
  add_entry(k_audit_table, store_id, entry.at, entry.user, entry.action,
            entry.details_json.empty() ? std::string_view("{}") : std::string_view(entry.details_json));
}

std::vector<store::AuditEntry> Journal::audit_log() { return entries<store::AuditEntry>(k_audit_table); }

void Journal::add_notification(std::string_view store_id, const store::Notification& notification)
{
  add_entry(k_notification_table, store_id, notification.at, notification.user, notification.kind,
            notification.message);
}

std::vector<store::Notification> Journal::notifications() { return entries<store::Notification>(k_notification_table); }

void Journal::add_entry(const EntryTable& table, std::string_view store_id, UnixTime at, std::string_view user,
                        std::string_view what, std::string_view text)
{
  auto insert = m_db.prepare(fmt::format("INSERT INTO {} (store_id, at, user_name, {}, {}) VALUES (?1, ?2, ?3, ?4, ?5)",
                                         table.name, table.what_column, table.text_column));
  insert.bind(1, store_id).bind(2, at).bind(3, user).bind(4, what).bind(5, text);
  insert.run();
}

template <typename Entry> std::vector<Entry> Journal::entries(const EntryTable& table)
{
  std::vector<Entry> entries;
  if (!has_journal())
    return entries;
  auto select = m_db.prepare(fmt::format("SELECT at, user_name, {}, {} FROM {} ORDER BY id DESC", table.what_column,
                                         table.text_column, table.name));
  while (select.step())
    entries.push_back(Entry{select.integer(0), std::string(select.text(1)), std::string(select.text(2)),
                            std::string(select.text(3))});
  return entries;
}

SecondFactor Journal::second_factor(std::string_view store_id, std::string_view user)
{
  SecondFactor factor;
  if (!has_journal())
    return factor;
  auto select = m_db.prepare("SELECT secret, enrolled_at, last_step, failed_attempts, locked_until "
                             "FROM second_factors WHERE store_id = ?1 AND user_name = ?2");
  select.bind(1, store_id).bind(2, user);
  if (select.step()) {
    factor.secret = select.text(0);
    factor.enrolled_at = select.integer(1);
    factor.last_step = select.integer(2);
    factor.failed_attempts = static_cast<int>(select.integer(3));
    factor.locked_until = select.integer(4);
  }
  return factor;
}

void Journal::enroll(std::string_view store_id, std::string_view user, std::string_view secret, UnixTime at)
{
  // A new secret keeps the replay guard: a code of the old secret's last
  // step must not become usable again.
  auto upsert =
      m_db.prepare("INSERT INTO second_factors (store_id, user_name, secret, enrolled_at, last_step, failed_attempts, "
                   "locked_until) VALUES (?1, ?2, ?3, ?4, -1, 0, 0) ON CONFLICT (store_id, user_name) DO UPDATE SET "
                   "secret = excluded.secret, enrolled_at = excluded.enrolled_at");
  upsert.bind(1, store_id).bind(2, user).bind(3, secret).bind(4, at);
  upsert.run();
}

bool Journal::remove_enrollment(std::string_view store_id, std::string_view user)
{
  // The row stays (replay guard and lockout outlive an enrollment).
  auto update =
      m_db.prepare("UPDATE second_factors SET secret = '' WHERE store_id = ?1 AND user_name = ?2 AND secret != ''");
  update.bind(1, store_id).bind(2, user);
  update.run();
  return m_db.changes() == 1;
}

void Journal::add_second_factor_row(std::string_view store_id, std::string_view user)
{
  auto insert =
      m_db.prepare("INSERT OR IGNORE INTO second_factors (store_id, user_name, secret, enrolled_at, last_step, "
                   "failed_attempts, locked_until) VALUES (?1, ?2, '', 0, -1, 0, 0)");
  insert.bind(1, store_id).bind(2, user);
  insert.run();
}

bool Journal::use_totp_step(std::string_view store_id, std::string_view user, std::int64_t step)
{
  sql::Transaction transaction(m_db, sql::TransactionKind::immediate);
  add_second_factor_row(store_id, user);
  auto update = m_db.prepare("UPDATE second_factors SET last_step = ?3, failed_attempts = 0 "
                             "WHERE store_id = ?1 AND user_name = ?2 AND last_step < ?3");
  update.bind(1, store_id).bind(2, user).bind(3, step);
  update.run();
  const bool is_taken = m_db.changes() == 1;
  transaction.commit();
  return is_taken;
}

SecondFactor Journal::record_failed_code(std::string_view store_id, std::string_view user, UnixTime at)
{
  {
    sql::Transaction transaction(m_db, sql::TransactionKind::immediate);
    add_second_factor_row(store_id, user);
    // The count starts again after a lockout has run out.
    auto update = m_db.prepare(
        "UPDATE second_factors SET "
        "failed_attempts = CASE WHEN locked_until != 0 AND locked_until <= ?3 THEN 1 ELSE failed_attempts + 1 END, "
        "locked_until = CASE WHEN locked_until != 0 AND locked_until <= ?3 THEN 0 ELSE locked_until END "
        "WHERE store_id = ?1 AND user_name = ?2");
    update.bind(1, store_id).bind(2, user).bind(3, at);
    update.run();
    auto lock = m_db.prepare("UPDATE second_factors SET locked_until = ?3 + ?4 "
                             "WHERE store_id = ?1 AND user_name = ?2 AND failed_attempts >= ?5 AND locked_until = 0");
    lock.bind(1, store_id).bind(2, user).bind(3, at).bind(4, k_lockout_seconds).bind(5, k_max_failed_codes);
    lock.run();
    transaction.commit();
  }
  return second_factor(store_id, user);
}

std::filesystem::path Journal::restore_lock_path(std::string_view store_id) const
{
  // Named by the store's identity, hashed so that any id makes a safe name.
  const std::string digest = crypto::sha256_hex(store_id);
  return m_directory / fmt::format("restore-{}.lock", digest.substr(0, 16));
}

FileLock Journal::lock_restores(std::string_view store_id) const
{
  auto lock = FileLock::try_acquire(restore_lock_path(store_id));
  if (!lock)
    throw Error(ErrorKind::temp_fail, "another restore is running on this store",
                "wait for it to finish (crm-restore status) and run again");
  return std::move(*lock);
}

bool Journal::is_restore_running(std::string_view store_id) const
{
  return FileLock::is_held(restore_lock_path(store_id));
}

}  // namespace crm::catalog
