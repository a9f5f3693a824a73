#include "crm/sql/database.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crm::sql {

namespace {

ErrorKind kind_for(int code)
{
  switch (code & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return ErrorKind::temp_fail;
  case SQLITE_FULL:
  case SQLITE_IOERR: return ErrorKind::io;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB: return ErrorKind::data;
  case SQLITE_CANTOPEN: return ErrorKind::not_found;
  case SQLITE_READONLY:
  case SQLITE_PERM:
  case SQLITE_AUTH: return ErrorKind::io;
  default: return ErrorKind::internal;
  }
}

std::string hint_for(ErrorKind kind)
{
  switch (kind) {
  case ErrorKind::temp_fail: return "another process is using it; run again shortly";
  case ErrorKind::io: return "check free disk space and permissions";
  case ErrorKind::data: return "the file is damaged or not a database";
  case ErrorKind::not_found: return "check the path";
  default: return "this is a bug; please report it";
  }
}

}  // namespace

Database::Database(const std::filesystem::path& path, OpenMode mode, std::string_view what) : m_path(path), m_what(what)
{
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
  case OpenMode::read_only: flags |= SQLITE_OPEN_READONLY; break;
  case OpenMode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
  case OpenMode::create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  case OpenMode::temporary: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  if (mode == OpenMode::temporary)
    m_path.clear();
  else if (mode != OpenMode::create && !std::filesystem::exists(path))
    throw Error(ErrorKind::not_found, fmt::format("no {} at {}", m_what, path.string()),
                "check the path or create it first");
  if (mode == OpenMode::create && !std::filesystem::exists(path)) {
    // Create the file ourselves so that it is private from the first byte.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
      throw_errno(errno, fmt::format("create {}", m_what), path.string(), true);
    if (fd >= 0)
      ::close(fd);
  }
  const int code = sqlite3_open_v2(m_path.c_str(), &m_db, flags, nullptr);
  if (code != SQLITE_OK) {
    const ErrorKind kind =
        mode == OpenMode::create && (code & 0xff) == SQLITE_CANTOPEN ? ErrorKind::cannot_create : kind_for(code);
    sqlite3_close(m_db);
    m_db = nullptr;
    throw Error(kind, fmt::format("cannot open {} {}: {}", m_what, path.string(), sqlite3_errstr(code)),
                hint_for(kind));
  }
  sqlite3_extended_result_codes(m_db, 1);
  sqlite3_busy_timeout(m_db, 5000);
}

Database::~Database()
{
  if (m_db)
    sqlite3_close_v2(m_db);
}

Database::Database(Database&& other) noexcept
    : m_db(other.m_db), m_path(std::move(other.m_path)), m_what(std::move(other.m_what))
{
  other.m_db = nullptr;
}

Database& Database::operator=(Database&& other) noexcept
{
  if (this != &other) {
    if (m_db)
      sqlite3_close_v2(m_db);
    m_db = other.m_db;
    m_path = std::move(other.m_path);
    m_what = std::move(other.m_what);
    other.m_db = nullptr;
  }
  return *this;
}

void Database::fail(int code, std::string_view action) const
{
  const ErrorKind kind = kind_for(code);
  const char* detail = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
  throw Error(kind, fmt::format("cannot {} ({}: {})", action, m_path.string(), detail), hint_for(kind));
}

void Database::exec(std::string_view sql)
{
  const std::string text(sql);
  const int code = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK)
    fail(code, fmt::format("update the {}", m_what));
}

Statement Database::prepare(std::string_view sql) { return Statement(*this, sql); }

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }
std::int64_t Database::changes() const { return sqlite3_changes64(m_db); }

int Database::user_version()
{
  Statement statement(*this, "PRAGMA user_version");
  statement.step();
  return static_cast<int>(statement.integer(0));
}

void Database::set_user_version(int version) { exec(fmt::format("PRAGMA user_version = {}", version)); }

Statement::Statement(Database& db, std::string_view sql) : m_db(&db)
{
  const int code = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
  if (code != SQLITE_OK)
    db.fail(code, fmt::format("read the {}", db.what()));
}

Statement::~Statement()
{
  if (m_stmt)
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt) { other.m_stmt = nullptr; }

Statement& Statement::bind(int index, std::string_view text)
{
  // An empty view may have no data pointer, which SQLite would bind as NULL;
  // text is never NULL.
  const int code =
      sqlite3_bind_text(m_stmt, index, text.data() ? text.data() : "", static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (code != SQLITE_OK)
    m_db->fail(code, "bind a value");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
  const int code = sqlite3_bind_int64(m_stmt, index, value);
  if (code != SQLITE_OK)
    m_db->fail(code, "bind a value");
  return *this;
}

Statement& Statement::bind_null(int index)
{
  const int code = sqlite3_bind_null(m_stmt, index);
  if (code != SQLITE_OK)
    m_db->fail(code, "bind a value");
  return *this;
}

bool Statement::step()
{
  const int code = sqlite3_step(m_stmt);
  if (code == SQLITE_ROW)
    return true;
  if (code == SQLITE_DONE)
    return false;
  m_db->fail(code, fmt::format("use the {}", m_db->what()));
}

void Statement::run()
{
  while (step()) {
  }
  reset();
}

void Statement::reset()
{
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

std::string_view Statement::text(int column) const
{
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
  if (!data)
    return {};
  return {data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
bool Statement::is_null(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

Transaction::Transaction(Database& db, TransactionKind kind) : m_db(db)
{
  m_db.exec(kind == TransactionKind::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction()
{
  if (m_is_open)
    sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
  m_db.exec("COMMIT");
  m_is_open = false;
}

std::string quote_identifier(std::string_view name)
{
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace crm::sql
