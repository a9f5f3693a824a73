#include "support/update_record.hpp"
#include "test_snapshot_fixture.hpp"

#include <crm/snapshot/create.hpp>
#include <crm/snapshot/diff.hpp>

#include <catch2/catch.hpp>

using crm::FixedClock;
using namespace crm::snapshot;

namespace {

constexpr crm::UnixTime k_start = 1767225600;

const ObjectDiff& object_in(const DiffReport& report, std::string_view name)
{
  for (const auto& object : report.objects)
    if (object.name == name)
      return object;
  FAIL("no object " << name);
  throw;
}

// Changes two contacts' values, deletes one deal and adds a property.
void edit_store(const crm::test::SnapshotStore& fixture)
{
  {
    auto store = fixture.open();
    auto write = store->write();
    const auto contacts = *write->find_object_type("contacts");
    const std::vector<std::string> names{"email", "notes"};
    crm::test::update_record(*write, contacts, 1, names, std::vector<std::string>{"new@example.com", "plain"});
    crm::test::update_record(*write, contacts, 31, names, std::vector<std::string>{"x@example.com", "now a note"});
    write->commit();
  }
  crm::store::sqlite::Admin admin(fixture.path());
  admin.delete_record("deals", 7, k_start);
  admin.add_property("deals", crm::test::make_property("health"));
}

}  // namespace

TEST_CASE("diff of a backup with the unchanged live store finds nothing", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  const auto result = create(*store, fixture.repository(), "admin", {}, FixedClock(k_start));
  const BackupReader backup(result.archive, std::nullopt);
  auto live = store->read();
  const DiffReport report = diff_live(backup, *live);
  CHECK_FALSE(report.has_differences());
  CHECK(object_in(report, "deals").unchanged == 50);
}

TEST_CASE("diff names the records added, removed and changed, and the properties that changed", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  const auto before = [&] {
    auto store = fixture.open();
    return create(*store, fixture.repository(), "admin", {}, FixedClock(k_start));
  }();
  edit_store(fixture);
  auto store = fixture.open();
  const BackupReader old_backup(before.archive, std::nullopt);

  auto live = store->read();
  const DiffReport live_report = diff_live(old_backup, *live);
  live.reset();
  const auto after = create(*store, fixture.repository(), "admin", {}, FixedClock(k_start + 8 * 24 * 3600));
  const BackupReader new_backup(after.archive, std::nullopt);
  const DiffReport backup_report = diff_backups(old_backup, new_backup);

  for (const DiffReport* report : {&live_report, &backup_report}) {
    CHECK(report->has_differences());
    const ObjectDiff& contacts = object_in(*report, "contacts");
    CHECK(contacts.changed == 2);
    CHECK(contacts.unchanged == 2);
    REQUIRE(contacts.changed_records.size() == 2);
    CHECK(contacts.changed_records[0].id == 1);
    CHECK(contacts.changed_records[0].properties == std::vector<std::string>{"email"});
    CHECK(contacts.changed_records[1].id == 31);
    CHECK(contacts.changed_records[1].properties == std::vector<std::string>{"notes"});
    REQUIRE(contacts.changes_by_property.size() == 2);
    CHECK(contacts.changes_by_property[0].property == "email");
    CHECK(contacts.changes_by_property[0].records == 1);
    const ObjectDiff& deals = object_in(*report, "deals");
    CHECK(deals.removed == 1);
    CHECK(deals.removed_ids == std::vector<crm::store::RecordId>{7});
    CHECK(deals.added == 0);
    CHECK(deals.changed == 0);
    CHECK(deals.properties_only_in_new == std::vector<std::string>{"health"});
    CHECK_FALSE(object_in(*report, "tickets").has_differences());
  }
}
