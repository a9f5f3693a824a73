#pragma once
// A Reader over the embedded store: its own connection holding one read
// transaction from construction to destruction, so every read shows the
// instant the Reader was made (WAL keeps that snapshot while others write).

#include <crm/store/sqlite/basic_reader.hpp>

namespace crm::store::sqlite {

class SqliteReader final : public BasicReader<Reader> {
public:
  SqliteReader(const std::filesystem::path& path, bool is_writable);

private:
  sql::Transaction m_transaction;
};

}  // namespace crm::store::sqlite
