// snapshot::create needs nothing of a store but the port: a backup of the
// in-memory fake backend, which gives no consistent snapshot and says so.

#include "support/temp_dir.hpp"
#include "test_restore_fixture.hpp"

#include <crm/catalog/repository.hpp>
#include <crm/snapshot/backup_reader.hpp>
#include <crm/snapshot/create.hpp>

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
