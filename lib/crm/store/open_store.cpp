#include <crm/store/sqlite/sqlite_store.hpp>
#include <crm/store/store.hpp>

namespace crm::store {

std::unique_ptr<Store> open_store(const std::filesystem::path& path, bool is_writable)
{
  return std::make_unique<sqlite::SqliteStore>(path, is_writable);
}

}  // namespace crm::store
