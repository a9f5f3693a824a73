#include "crm/store/sqlite/sqlite_reader.hpp"

namespace crm::store::sqlite {

SqliteReader::SqliteReader(const std::filesystem::path& path, bool is_writable)
    : BasicReader<Reader>(path, is_writable), m_transaction(database())
{
  // BEGIN alone takes no snapshot; the first read does. Read now, so the
  // snapshot is the instant of construction rather than of the first call.
  auto statement = database().prepare("SELECT count(*) FROM account");
  statement.step();
}

}  // namespace crm::store::sqlite
