#pragma once
// The embedded store (SPEC §4): a SQLite file in WAL mode. Every Reader and
// Writer gets its own connection, so readers keep their snapshot while a
// writer commits. It gives every guarantee (one consistent instant, an atomic
// apply, its users' second factor) and models the CRM's own screens for
// imports, audit, notifications and workflow enrollments.
// docs/store-schema.md describes the file.

#include <crm/store/store.hpp>

#include <filesystem>

namespace crm::store::sqlite {

class SqliteStore final : public Store {
public:
  // Checks the file (and upgrades an older schema when `is_writable`); see
  // open_store for the errors.
  SqliteStore(std::filesystem::path path, bool is_writable);

  Guarantees guarantees() const override { return {true, true, true}; }
  std::unique_ptr<Reader> read() override;
  std::unique_ptr<Writer> write() override;
  std::string second_factor_secret(std::string_view user) override;
  bool notify_in_crm(const Notification& notification) override;

private:
  std::filesystem::path m_path;
  bool m_is_writable;
};

}  // namespace crm::store::sqlite
