// snapshot::create needs nothing of a store but the port: a backup of the
// in-memory fake backend, which gives no consistent snapshot and says so.

#include "support/temp_dir.hpp"
#include "test_restore_fixture.hpp"

#include <crm/catalog/repository.hpp>
#include <crm/snapshot/backup_reader.hpp>
#include <crm/snapshot/create.hpp>
#include <crm/snapshot/manifest.hpp>

#include <catch2/catch.hpp>

using namespace crm;

TEST_CASE("a backup of a backend without a consistent snapshot says so in its manifest", "[snapshot]")
{
  test::TempDir dir;
  test::MemoryStore store;
  test::fill_account(store);
  store.is_atomic = false;  // an API: no snapshot, batch-by-batch writes
  const FixedClock clock(1767312000);
  const auto result = snapshot::create(store, dir / "repo", "admin", {}, clock);
  const snapshot::BackupReader backup(result.archive, std::nullopt);
  CHECK_FALSE(backup.manifest().is_consistent_snapshot);
  const auto* deals = backup.manifest().find("deals");
  REQUIRE(deals != nullptr);
  CHECK(deals->record_count == 5);
  // The journal has the backup's notification; the fake has no CRM screen for it.
  auto journal = catalog::Repository::open(dir / "repo", catalog::OpenIntent::read).journal();
  CHECK(journal.notifications().at(0).kind == "backup.ready");
  CHECK(store.data.notifications.empty());
}

TEST_CASE("a backup lists what the store could not read and counts the records changed while it ran", "[snapshot]")
{
  test::TempDir dir;
  test::MemoryStore store;
  test::fill_account(store);
  store.is_atomic = false;
  store.data.gaps = {{"tickets", "0-5", "", "HubSpot answered 403: missing scope", false},
                     {"deals", "0-3", "highly_sensitive properties", "HubSpot answered 403", true},
                     {"workflows", "", "", "HubSpot answered 403", false}};
  store.data.modified_since = 2;
  const FixedClock clock(1767312000);
  const auto result = snapshot::create(store, dir / "repo", "admin", {}, clock);
  // Workflows are no object type: a plan says it could not check them, a backup does not.
  REQUIRE(result.skipped.size() == 2);
  CHECK(result.skipped[0].object == "tickets");
  CHECK(result.modified_during_backup == 2 * static_cast<std::int64_t>(result.objects.size()));
  const snapshot::BackupReader backup(result.archive, std::nullopt);
  REQUIRE(backup.manifest().skipped.size() == 2);
  CHECK(backup.manifest().skipped[1].property == "highly_sensitive properties");
  CHECK(backup.manifest().find("deals")->modified_during_backup == 2);

  // Leaving sensitive properties out is by design: their gap is not reported.
  snapshot::CreateOptions options;
  options.is_sensitive_excluded = true;
  const FixedClock later(1767312000 + 8 * 24 * 3600);
  const auto excluded = snapshot::create(store, dir / "repo", "admin", options, later);
  REQUIRE(excluded.skipped.size() == 1);
  CHECK(excluded.skipped[0].object == "tickets");
}

TEST_CASE("a backup of a store that sees everything writes the manifest it always wrote", "[snapshot]")
{
  test::TempDir dir;
  test::MemoryStore store;
  test::fill_account(store);
  const FixedClock clock(1767312000);
  const auto result = snapshot::create(store, dir / "repo", "admin", {}, clock);
  CHECK(result.is_consistent_snapshot);
  const snapshot::BackupReader backup(result.archive, std::nullopt);
  CHECK(backup.manifest().skipped.empty());
  const std::string json = snapshot::to_json(backup.manifest());
  CHECK(json.find("skipped") == std::string::npos);
  CHECK(json.find("modified_during_backup") == std::string::npos);
}
