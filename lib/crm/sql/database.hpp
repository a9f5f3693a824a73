#pragma once
// RAII over the SQLite C API. Every SQLite failure becomes a crm::Error whose
// message says what we were doing and on which file, never a bare SQLite
// message: SQLITE_BUSY/LOCKED -> temp_fail, SQLITE_FULL/IOERR -> io,
// SQLITE_CORRUPT/NOTADB -> data, SQLITE_CANTOPEN -> not_found (or
// cannot_create when creating), anything else -> internal.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace crm::sql {

enum class OpenMode {
  read_only,   // the file must exist; nothing is created or written
  read_write,  // the file must exist
  create,      // created (0600) when missing
  // A private scratch database: `path` is ignored; SQLite creates its file in
  // $TMPDIR (0600) and unlinks it at once, so nothing is left behind even
  // after kill -9. Pages stay in memory until its cache fills.
  temporary,
};

class Statement;

class Database {
public:
  // `what` names the file in messages: "store", "catalog".
  Database(const std::filesystem::path& path, OpenMode mode, std::string_view what);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;

  // Runs one or more statements that return no rows.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  std::int64_t changes() const;
  int user_version();
  void set_user_version(int version);

  const std::filesystem::path& path() const { return m_path; }
  const std::string& what() const { return m_what; }
  sqlite3* handle() const { return m_db; }

  // Throws the crm::Error for SQLite result `code`, with `action` saying what
  // we were doing ("read the store").
  [[noreturn]] void fail(int code, std::string_view action) const;

private:
  sqlite3* m_db = nullptr;
  std::filesystem::path m_path;
  std::string m_what;
};

// A prepared statement. Columns and parameters are 0-based in column() and
// 1-based in bind(), as in SQLite.
class Statement {
public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind_null(int index);

  // Advances to the next row; false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  // Valid until the next step() or reset(). NULL reads as "".
  std::string_view text(int column) const;
  std::int64_t integer(int column) const;
  bool is_null(int column) const;

private:
  Database* m_db;
  sqlite3_stmt* m_stmt = nullptr;
};

enum class TransactionKind { deferred, immediate };

// BEGIN on construction, ROLLBACK on destruction unless commit() ran.
class Transaction {
public:
  Transaction(Database& db, TransactionKind kind = TransactionKind::deferred);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

private:
  Database& m_db;
  bool m_is_open = true;
};

// Quotes an identifier for SQL: "name" with inner quotes doubled.
std::string quote_identifier(std::string_view name);

}  // namespace crm::sql
