#include <crm/base/error.hpp>
#include <crm/store/sqlite/connection.hpp>
#include <crm/store/sqlite/schema.hpp>
#include <crm/store/sqlite/sqlite_reader.hpp>
#include <crm/store/sqlite/sqlite_store.hpp>
#include <crm/store/sqlite/sqlite_writer.hpp>

#include <fmt/format.h>

namespace crm::store::sqlite {

SqliteStore::SqliteStore(std::filesystem::path path, bool is_writable)
    : m_path(std::move(path)), m_is_writable(is_writable)
{
  std::error_code error;
  if (!std::filesystem::exists(m_path, error))
    throw Error(ErrorKind::not_found, fmt::format("no store at {}", m_path.string()),
                "check --store or CRM_STORE, or create one with crm-demo init");
  if (!std::filesystem::is_regular_file(m_path, error))
    throw Error(ErrorKind::data, fmt::format("{} is not a CRM store", m_path.string()), "check the path");
  Connection connection(m_path, m_is_writable);
  check_and_upgrade(connection.database(), m_is_writable);
}

std::unique_ptr<Reader> SqliteStore::read() { return std::make_unique<SqliteReader>(m_path, m_is_writable); }

std::unique_ptr<Writer> SqliteStore::write()
{
  if (!m_is_writable)
    throw Error(ErrorKind::internal, "the store was opened read-only but a command tried to write to it");
  return std::make_unique<SqliteWriter>(m_path);
}

}  // namespace crm::store::sqlite
