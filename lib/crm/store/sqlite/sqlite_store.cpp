#include "crm/store/sqlite/sqlite_store.hpp"

#include <crm/base/error.hpp>
#include <crm/store/sqlite/connection.hpp>
#include <crm/store/sqlite/schema.hpp>
#include <crm/store/sqlite/sqlite_reader.hpp>
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

std::string SqliteStore::second_factor_secret(std::string_view user)
{
  Connection connection(m_path, false);
  auto statement = connection.database().prepare("SELECT totp_secret FROM users WHERE name = ?1");
  statement.bind(1, user);
  return statement.step() ? std::string(statement.text(0)) : std::string();
}

bool SqliteStore::notify_in_crm(const Notification& notification)
{
  // Its own short write, whatever access the store was opened with: a backup
  // reads the CRM read-only, but the CRM still shows that it is ready.
  SqliteWriter writer(m_path);
  writer.add_notification(notification);
  writer.commit();
  return true;
}

}  // namespace crm::store::sqlite
