// Apply on a batch-by-batch backend (an API): a run that fails or dies after
// some batches is continued by applying the same plan again, from the last
// committed batch, never writing a record twice; undo restores what was written.

#include "test_restore_fixture.hpp"

#include <crm/base/error.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/restore/applier.hpp>
#include <crm/restore/history.hpp>
#include <crm/restore/planner.hpp>
#include <crm/restore/status.hpp>
#include <crm/restore/undo.hpp>

#include <catch2/catch.hpp>

using namespace crm;
using namespace crm::restore;

namespace {

constexpr int k_deals = 250;  // three batches of at most 100

// 250 deals whose stage changed since the backup, on a store that writes
// batch by batch.
struct Resuming {
  test::TempDir dir;
  catalog::Repository repository = catalog::Repository::open(dir / "repo", catalog::OpenIntent::create);
  catalog::Journal journal = repository.journal();
  test::MemoryStore store;
  test::MemoryBackup backup;
  FixedClock clock{1767312000};
  PlanResult planned;

  Resuming()
  {
    test::fill_account(store);
    store.is_atomic = false;
    store.knows_second_factor = false;
    test::fill_backup(backup);
    backup.rows.clear();
    auto& live = store.data.records["deals"];
    live.clear();
    store.data.recycle_bin.clear();
    for (store::RecordId id = 1; id <= k_deals; ++id) {
      live[id] = {{"dealname", "Deal"}, {"dealstage", "closedlost"}, {"amount", "1"}};
      backup.rows.push_back({id, {"Deal", "closedwon", "1", "", ""}});
    }
    backup.entry.record_count = k_deals;
    PlanRequest request{"admin", "deals", {"dealstage"}, false, dir / "p.plan"};
    planned = make_plan(store, backup, request, clock);
  }

  ApplyResult apply()
  {
    ApplyRequest request;
    request.plan = dir / "p.plan";
    request.confirm_hash = planned.sha256;
    request.user = "sso-admin";
    request.is_data_change_acknowledged = true;
    request.is_irreversible_acknowledged = true;
    return apply_plan(store, journal, request, clock);
  }

  int restored()
  {
    int count = 0;
    for (const auto& [id, record] : store.data.records["deals"])
      count += record.at("dealstage") == "closedwon" ? 1 : 0;
    return count;
  }
};

}  // namespace

TEST_CASE("a batch-by-batch apply that fails after two batches leaves a partly applied run", "[restore]")
{
  Resuming resuming;
  REQUIRE(resuming.planned.summary.records_to_change == k_deals);
  resuming.store.fail_after_batches = 2;
  try {
    resuming.apply();
    FAIL("apply did not fail");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::unavailable);
  }
  CHECK(resuming.restored() == 200);
  const auto runs = resuming.journal.runs("store-aaaa");
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].state == catalog::RunState::partly_applied);
  CHECK(runs[0].records_written == 200);
  CHECK(restore_status(resuming.store, resuming.journal, true, resuming.clock).outcome == "partly applied");
}

TEST_CASE("applying the same plan again continues from the last committed batch, writing nothing twice", "[restore]")
{
  Resuming resuming;
  resuming.store.fail_after_batches = 1;
  CHECK_THROWS(resuming.apply());
  CHECK(resuming.restored() == 100);
  resuming.store.fail_after_batches.reset();
  resuming.store.batches_written = 0;
  const ApplyResult result = resuming.apply();
  CHECK(result.is_continued);
  CHECK(result.records_written == 150);
  CHECK(resuming.store.batches_written == 2);  // 150 records: two batches, none of the first 100 again
  CHECK(resuming.restored() == k_deals);
  const auto runs = resuming.journal.runs("store-aaaa");
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].state == catalog::RunState::applied);
  CHECK(runs[0].records_written == k_deals);
  CHECK(restore_history(resuming.journal, "store-aaaa").size() == 1);
}

TEST_CASE("a run killed between batches is continued the same way", "[restore]")
{
  Resuming resuming;
  resuming.store.fail_after_batches = 2;
  CHECK_THROWS(resuming.apply());
  // What a kill -9 leaves: the journal still says "applying".
  auto run = resuming.journal.runs("store-aaaa").at(0);
  run.state = catalog::RunState::applying;
  run.records_written = 100;  // the second batch landed but was not recorded
  resuming.journal.update_run(run);
  resuming.store.fail_after_batches.reset();
  resuming.store.batches_written = 0;
  const ApplyResult result = resuming.apply();
  CHECK(result.records_written == 50);
  CHECK(resuming.store.batches_written == 1);
  CHECK(resuming.restored() == k_deals);
}

TEST_CASE("a run killed before its undo file was written starts again from the beginning", "[restore]")
{
  Resuming resuming;
  resuming.store.fail_after_batches = 0;
  CHECK_THROWS(resuming.apply());
  auto run = resuming.journal.runs("store-aaaa").at(0);
  run.state = catalog::RunState::applying;  // as a kill leaves it
  run.undo_file.clear();
  run.undo_sha256.clear();
  resuming.journal.update_run(run);
  resuming.store.fail_after_batches.reset();
  const ApplyResult result = resuming.apply();
  CHECK_FALSE(result.is_continued);
  CHECK(result.records_written == k_deals);
  CHECK(resuming.journal.find_run(run.id)->state == catalog::RunState::failed);
}

TEST_CASE("undo of a partly applied run restores whatever was written", "[restore]")
{
  Resuming resuming;
  resuming.store.fail_after_batches = 1;
  CHECK_THROWS(resuming.apply());
  REQUIRE(resuming.restored() == 100);
  const auto run = resuming.journal.runs("store-aaaa").at(0);
  const PlanResult undo =
      make_undo_plan(resuming.store, resuming.journal, {"admin", run.id, resuming.dir / "undo.plan"}, resuming.clock);
  CHECK(undo.summary.records_to_change == 100);  // the others already hold their old value
  resuming.store.fail_after_batches.reset();
  ApplyRequest request;
  request.plan = resuming.dir / "undo.plan";
  request.confirm_hash = undo.sha256;
  request.user = "sso-admin";
  request.is_data_change_acknowledged = true;
  request.is_irreversible_acknowledged = true;
  apply_plan(resuming.store, resuming.journal, request, resuming.clock);
  CHECK(resuming.restored() == 0);
}

TEST_CASE("a record the backend refuses is recorded with its reason and the run ends partly applied", "[restore]")
{
  Resuming resuming;
  resuming.store.rejected = {42, 142};
  const ApplyResult result = resuming.apply();
  CHECK(result.records_failed == 2);
  CHECK(result.records_written == k_deals - 2);
  CHECK(resuming.restored() == k_deals - 2);
  const auto run = resuming.journal.find_run(result.import_id);
  REQUIRE(run);
  CHECK(run->state == catalog::RunState::partly_applied);
  const auto failures = resuming.journal.failures(result.import_id);
  REQUIRE(failures.size() == 2);
  CHECK(failures[0].id == 42);
  CHECK(failures[0].outcome == "rejected");
  CHECK(failures[0].reason == "INVALID_OPTION: not a valid stage");
  // Once the value is accepted, applying the plan again writes only those two.
  resuming.store.rejected.clear();
  resuming.store.batches_written = 0;
  const ApplyResult again = resuming.apply();
  CHECK(again.is_continued);
  CHECK(again.records_written == 2);
  CHECK(again.records_failed == 0);
  CHECK(resuming.restored() == k_deals);
  CHECK(resuming.journal.find_run(result.import_id)->state == catalog::RunState::applied);
  CHECK(resuming.journal.failures(result.import_id).empty());
}

TEST_CASE("a backend that reads by id many ids ahead gets the same drift check and continuation", "[restore]")
{
  Resuming resuming;
  resuming.store.data.reads_ahead = true;  // HubSpot's batch read: 100 ids asked before any answer
  resuming.store.fail_after_batches = 1;
  CHECK_THROWS(resuming.apply());
  resuming.store.fail_after_batches.reset();
  resuming.store.batches_written = 0;
  const ApplyResult result = resuming.apply();
  CHECK(result.records_written == 150);
  CHECK(resuming.store.batches_written == 2);
  CHECK(resuming.restored() == k_deals);
}

TEST_CASE("a record deleted since the plan is drift for a backend that reads by id", "[restore]")
{
  Resuming resuming;
  resuming.store.data.reads_ahead = true;
  auto& deals = resuming.store.data.records["deals"];
  deals.erase(std::next(deals.begin(), 120));
  try {
    resuming.apply();
    FAIL("apply did not refuse");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::temp_fail);
    CHECK(std::string(error.what()).find("was deleted") != std::string::npos);
  }
  CHECK(resuming.restored() == 0);
}
