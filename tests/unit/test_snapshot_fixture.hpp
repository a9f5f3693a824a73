#pragma once
// A small embedded store for the snapshot tests, made with the store's admin
// API: contacts with awkward values and a sensitive property, deals, tickets
// without records, a super admin and a viewer.

#include "support/temp_dir.hpp"

#include <crm/store/sqlite/admin.hpp>
#include <crm/store/store.hpp>

#include <memory>
#include <string>
#include <vector>

namespace crm::test {

inline store::Property make_property(std::string name,
                                     store::Sensitivity sensitivity = store::Sensitivity::non_sensitive)
{
  store::Property property;
  property.label = name;
  property.name = std::move(name);
  property.sensitivity = sensitivity;
  return property;
}

// Values that CSV must carry exactly.
inline const std::vector<std::vector<std::string>>& awkward_contact_values()
{
  static const std::vector<std::vector<std::string>> values{
      {"ann@example.com", "Ann", "plain", "111-22-3333"},
      {"bo@example.com", "Bo, Jr.", "says \"hi\"", ""},
      {"", "Zoë 東京 🎉", "line one\r\nline two\nthree\r", "222"},
      {"x@example.com", "", "", "333"},
  };
  return values;
}

class SnapshotStore {
public:
  SnapshotStore() : m_path(m_dir / "store.sqlite")
  {
    store::Account account;
    account.id = "4242";
    account.name = "Test account";
    account.tier = store::PlanTier::starter;
    store::sqlite::create_store(m_path, account);
    store::sqlite::Admin admin(m_path);

    store::ObjectType contacts;
    contacts.name = "contacts";
    contacts.object_type_id = "0-1";
    contacts.singular = "Contact";
    contacts.properties = {make_property("email"), make_property("firstname"), make_property("notes"),
                           make_property("ssn", store::Sensitivity::highly_sensitive)};
    admin.add_object_type(contacts);
    store::ObjectType deals;
    deals.name = "deals";
    deals.object_type_id = "0-3";
    deals.singular = "Deal";
    deals.properties = {make_property("dealname"), make_property("amount")};
    admin.add_object_type(deals);
    store::ObjectType tickets;
    tickets.name = "tickets";
    tickets.object_type_id = "0-5";
    tickets.singular = "Ticket";
    tickets.properties = {make_property("subject")};
    admin.add_object_type(tickets);

    store::User admin_user;
    admin_user.name = "admin";
    admin_user.is_super_admin = true;
    admin.add_user(admin_user);
    store::User viewer;
    viewer.name = "viewer";
    admin.add_user(viewer);

    {
      const std::vector<std::string> names{"email", "firstname", "notes", "ssn"};
      store::sqlite::RecordInserter inserter(admin, "contacts", names);
      store::RecordId id = 1;
      for (const auto& row : awkward_contact_values()) {
        std::vector<std::string_view> views(row.begin(), row.end());
        inserter.insert(id, views);
        id += 10;  // ids with gaps: order is by id, not by position
      }
      inserter.commit();
    }
    {
      const std::vector<std::string> names{"dealname", "amount"};
      store::sqlite::RecordInserter inserter(admin, "deals", names);
      for (store::RecordId id = 1; id <= 50; ++id) {
        const std::string name = "Deal " + std::to_string(id);
        const std::string amount = std::to_string(id * 100);
        const std::vector<std::string_view> views{name, amount};
        inserter.insert(id, views);
      }
      inserter.commit();
    }
  }

  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path repository(std::string_view name = "repo") const { return m_dir / name; }
  std::filesystem::path scratch(std::string_view name) const { return m_dir / name; }
  std::unique_ptr<store::Store> open() const { return store::open_store((m_path).string(), store::Access::read_write); }

private:
  TempDir m_dir{"snapshot"};
  std::filesystem::path m_path;
};

}  // namespace crm::test
