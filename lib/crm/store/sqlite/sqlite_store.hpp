#pragma once
// The embedded store (SPEC §4): a SQLite file in WAL mode. Every Reader and
// Writer gets its own connection, so readers keep their snapshot while a
// writer commits. docs/store-schema.md describes the file.

#include <crm/store/store.hpp>

namespace crm::store::sqlite {

class SqliteStore final : public Store {
public:
  // Checks the file (and upgrades an older schema when `is_writable`); see
  // open_store for the errors.
  SqliteStore(std::filesystem::path path, bool is_writable);

  std::unique_ptr<Reader> read() override;
  std::unique_ptr<Writer> write() override;

private:
  std::filesystem::path m_path;
  bool m_is_writable;
};

}  // namespace crm::store::sqlite
