#pragma once
// The read half of the embedded store, shared by SqliteReader and
// SqliteWriter (a Writer is also a Reader). Each instance owns one connection;
// the derived class decides which transaction it runs in.

#include <crm/store/sqlite/connection.hpp>
#include <crm/store/store.hpp>

namespace crm::store::sqlite {

template <typename Interface> class BasicReader : public Interface {
public:
  BasicReader(const std::filesystem::path& path, bool is_writable) : m_connection(path, is_writable) {}

  Account account() override;
  std::vector<ObjectType> object_types() override;
  std::int64_t count_records(const ObjectType& type) override;
  void scan_records(const ObjectType& type, std::span<const std::string> properties, const RecordFn& fn) override;
  void scan_deleted(const ObjectType& type, const std::function<void(RecordId)>& fn) override;
  std::vector<Workflow> workflows() override;
  // Every user, by name.
  std::vector<User> users() override;

protected:
  sql::Database& database() { return m_connection.database(); }

private:
  Connection m_connection;
};

// Standard objects first in objectTypeId order ("0-1", "0-2", ..., "0-48"),
// then other built-in objects without a numeric id (conversations), then
// custom objects ("2-<n>") by n.
bool is_listed_before(const ObjectType& left, const ObjectType& right);

// The ObjectType named `object_name` as stored (Error(not_found) when absent).
ObjectType load_object_type(sql::Database& database, std::string_view object_name);

}  // namespace crm::store::sqlite
