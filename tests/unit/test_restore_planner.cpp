#include "test_restore_fixture.hpp"

#include <crm/base/error.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/restore/plan_reader.hpp>
#include <crm/restore/planner.hpp>

#include <catch2/catch.hpp>

using namespace crm;
using namespace crm::restore;

namespace {

struct Planning {
  test::TempDir dir;
  test::MemoryStore store;
  test::MemoryBackup backup;
  FixedClock clock{1767312000};

  Planning()
  {
    test::fill_account(store);
    test::fill_backup(backup);
  }

  PlanResult plan(std::vector<std::string> properties, std::string user = "admin", std::string object = "deals")
  {
    PlanRequest request;
    request.user = std::move(user);
    request.object = std::move(object);
    request.properties = std::move(properties);
    request.is_all_properties = request.properties.empty();
    request.output = dir / "p.plan";
    return make_plan(store, backup, request, clock);
  }

  std::vector<PlanChange> changes()
  {
    PlanReader reader(dir / "p.plan");
    std::vector<PlanChange> all;
    PlanChange change;
    while (reader.next_change(change))
      all.push_back(change);
    return all;
  }
};

ErrorKind kind_of(const std::function<void()>& body)
{
  try {
    body();
  } catch (const Error& error) {
    return error.kind();
  }
  return ErrorKind::internal;
}

}  // namespace

TEST_CASE("plan lists the records to change with their live and backed-up values", "[restore][threads]")
{
  Planning planning;
  const PlanResult result = planning.plan({"dealstage", "amount"});
  const auto changes = planning.changes();
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].id == 1);
  CHECK(changes[0].properties == std::vector<std::string>{"dealstage"});
  CHECK(changes[0].before == std::vector<std::string>{"closedlost"});
  CHECK(changes[0].after == std::vector<std::string>{"qualifiedtobuy"});
  CHECK(changes[1].id == 2);
  CHECK(changes[1].after == std::vector<std::string>{"250.5"});
  CHECK(changes[2].id == 4);
  CHECK(changes[2].after == std::vector<std::string>{""});
  CHECK(result.summary.records_to_change == 3);
  CHECK(result.summary.values_to_set == 2);
  CHECK(result.summary.values_to_clear == 1);
  CHECK(result.summary.records_unchanged == 1);
  CHECK(result.sha256 == crm::crypto::file_sha256(planning.dir / "p.plan"));
}

TEST_CASE("plan counts records deleted since the backup, says which are in the recycle bin, and leaves new ones alone",
          "[restore][threads]")
{
  Planning planning;
  const PlanResult result = planning.plan({"dealstage"});
  CHECK(result.summary.records_deleted == 2);
  CHECK(result.summary.records_in_recycle_bin == 1);
  CHECK(result.summary.records_created == 1);
  CHECK(result.deleted_sample == std::vector<store::RecordId>{5, 7});
  PlanReader reader(planning.dir / "p.plan");
  DeletedRecord deleted;
  REQUIRE(reader.next_deleted(deleted));
  CHECK((deleted.id == 5 && deleted.is_in_recycle_bin));
  REQUIRE(reader.next_deleted(deleted));
  CHECK((deleted.id == 7 && !deleted.is_in_recycle_bin));
  for (const auto& change : planning.changes())
    CHECK(change.id != 6);
}

TEST_CASE("plan refuses read-only, vanished and unknown properties, each with its reason", "[restore][threads]")
{
  Planning planning;
  const PlanResult result = planning.plan({"dealstage", "hs_createdate", "retired_field", "closedate"});
  CHECK(result.header.properties == std::vector<std::string>{"dealstage"});
  REQUIRE(result.header.refused.size() == 3);
  CHECK(result.header.refused[0].name == "hs_createdate");
  CHECK(result.header.refused[0].reason == "read-only or calculated");
  CHECK(result.header.refused[1].name == "retired_field");
  CHECK(result.header.refused[1].reason == "no longer defined in the store");
  CHECK(result.header.refused[2].name == "closedate");
  CHECK(result.header.refused[2].reason == "not in the backup");
  CHECK(kind_of([&] { planning.plan({"no_such_property"}); }) == ErrorKind::usage);
  CHECK(kind_of([&] { planning.plan({"hs_createdate"}); }) == ErrorKind::usage);
}

TEST_CASE("plan with --all-properties takes every restorable property of the backup", "[restore][threads]")
{
  Planning planning;
  const PlanResult result = planning.plan({});
  CHECK(result.header.properties == std::vector<std::string>{"dealname", "dealstage", "amount"});
  CHECK(result.header.refused.size() == 2);
}

TEST_CASE("plan warns about each re-enrolling workflow on a chosen property with its record count",
          "[restore][threads]")
{
  Planning planning;
  const PlanResult result = planning.plan({"dealstage", "amount"});
  REQUIRE(result.summary.workflows.size() == 2);
  CHECK(result.summary.workflows[0].id == 1);
  CHECK(result.summary.workflows[0].records == 1);  // deal 1's stage
  CHECK(result.summary.workflows[1].id == 3);
  CHECK(result.summary.workflows[1].trigger_properties == std::vector<std::string>{"amount"});
  CHECK(result.summary.workflows[1].records == 2);  // deals 2 and 4
  const PlanResult name_only = planning.plan({"dealname"});
  CHECK(name_only.summary.workflows.empty());
}

TEST_CASE("plan is for super admins only", "[restore][threads]")
{
  Planning planning;
  CHECK(kind_of([&] { planning.plan({"dealstage"}, "viewer"); }) == ErrorKind::no_permission);
  CHECK(kind_of([&] { planning.plan({"dealstage"}, "nobody"); }) == ErrorKind::no_permission);
  CHECK_FALSE(std::filesystem::exists(planning.dir / "p.plan"));
}

TEST_CASE("plan refuses conversations and unknown objects", "[restore][threads]")
{
  Planning planning;
  CHECK(kind_of([&] { planning.plan({"subject"}, "admin", "conversations"); }) == ErrorKind::usage);
  CHECK(kind_of([&] { planning.plan({"x"}, "admin", "spaceships"); }) == ErrorKind::usage);
}

TEST_CASE("plan refuses a backup of another store", "[restore][threads]")
{
  Planning planning;
  planning.backup.made_from_store = "store-bbbb";
  CHECK(kind_of([&] { planning.plan({"dealstage"}); }) == ErrorKind::data);
  CHECK_FALSE(std::filesystem::exists(planning.dir / "p.plan"));
}

TEST_CASE("plan refuses a backup whose records are out of order and leaves no plan file", "[restore][threads]")
{
  Planning planning;
  std::swap(planning.backup.rows[0], planning.backup.rows[1]);
  CHECK(kind_of([&] { planning.plan({"dealstage"}); }) == ErrorKind::data);
  CHECK_FALSE(std::filesystem::exists(planning.dir / "p.plan"));
}

TEST_CASE("plan streams large objects: every record of a big backup is compared", "[restore][threads]")
{
  Planning planning;
  auto& live = planning.store.data.records["deals"];
  live.clear();
  planning.backup.rows.clear();
  for (store::RecordId id = 1; id <= 20000; ++id) {
    live[id] = {{"dealstage", id % 3 == 0 ? "closedlost" : "open"}};
    planning.backup.rows.push_back({id, {"", "open", "", "", ""}});
  }
  planning.backup.entry.record_count = 20000;
  planning.store.data.recycle_bin["deals"].clear();
  const PlanResult result = planning.plan({"dealstage"});
  CHECK(result.summary.records_to_change == 6666);
  CHECK(result.summary.records_unchanged == 20000 - 6666);
  CHECK(result.summary.records_deleted == 0);
}
