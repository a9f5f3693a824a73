#include "test_restore_fixture.hpp"

#include <crm/base/error.hpp>
#include <crm/base/file_lock.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/restore/applier.hpp>
#include <crm/restore/history.hpp>
#include <crm/restore/plan_writer.hpp>
#include <crm/restore/planner.hpp>
#include <crm/restore/private_plan.hpp>
#include <crm/restore/status.hpp>
#include <crm/restore/undo.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <functional>
#include <sys/stat.h>
#include <thread>

using namespace crm;
using namespace crm::restore;

namespace {

struct Applying {
  test::TempDir dir;
  catalog::Repository repository = catalog::Repository::open(dir / "repo", catalog::OpenIntent::create);
  catalog::Journal journal = repository.journal();
  test::MemoryStore store;
  test::MemoryBackup backup;
  FixedClock clock{1767312000};
  PlanResult planned;

  Applying()
  {
    test::fill_account(store);
    test::fill_backup(backup);
    PlanRequest request{"admin", "deals", {"dealstage", "amount"}, false, dir / "p.plan"};
    planned = make_plan(store, backup, request, clock);
  }

  ApplyRequest request(std::string user = "sso-admin")
  {
    ApplyRequest request;
    request.plan = dir / "p.plan";
    request.confirm_hash = planned.sha256;
    request.user = std::move(user);
    request.is_data_change_acknowledged = true;
    request.is_irreversible_acknowledged = true;
    return request;
  }

  const std::string& value(store::RecordId id, const std::string& property)
  {
    return store.data.records["deals"][id][property];
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

TEST_CASE("apply writes the backed-up values of the chosen properties and nothing else", "[restore][threads]")
{
  Applying applying;
  const auto before = applying.store.data;
  const ApplyResult result = apply_plan(applying.store, applying.journal, applying.request(), applying.clock);
  CHECK(result.summary.records_to_change == 3);
  CHECK(applying.value(1, "dealstage") == "qualifiedtobuy");
  CHECK(applying.value(2, "amount") == "250.5");
  CHECK(applying.value(4, "amount").empty());  // empty in the backup: cleared
  CHECK(applying.value(1, "dealname") == "Alpha");
  CHECK(applying.value(6, "dealstage") == "closedlost");      // created since: untouched
  CHECK(applying.store.data.records["deals"].count(5) == 0);  // deleted: not recreated
  CHECK(applying.store.data.records["deals"].count(7) == 0);
  CHECK(applying.store.data.records["deals"][3] == before.records.at("deals").at(3));
}

TEST_CASE("apply records a completed import, an audit row, a notification and the workflow enrollments",
          "[restore][threads]")
{
  Applying applying;
  const ApplyResult result = apply_plan(applying.store, applying.journal, applying.request(), applying.clock);
  const auto& data = applying.store.data;
  REQUIRE(data.imports.size() == 1);
  CHECK(data.imports[0].name == "Data Restore - Deal");
  CHECK(data.imports[0].state == "completed");
  CHECK(data.imports[0].records_updated == 3);
  CHECK(data.imports[0].values_set == 2);
  CHECK(data.imports[0].values_cleared == 1);
  CHECK(data.imports[0].details_json.find(result.plan_hash) != std::string::npos);
  REQUIRE(data.audit.size() == 1);
  CHECK(data.audit[0].action == "restore.apply");
  CHECK(data.audit[0].user == "sso-admin");
  REQUIRE(data.notifications.size() == 1);
  CHECK(data.notifications[0].kind == "restore.done");
  // Workflow 1 (dealstage) re-enrolls deal 1; workflow 3 (amount) deals 2 and 4;
  // workflow 2 does not allow re-enrollment.
  using Enrollment = std::tuple<std::int64_t, store::RecordId, UnixTime>;
  CHECK(data.enrollments == std::vector<Enrollment>{{1, 1, 1767312000}, {3, 2, 1767312000}, {3, 4, 1767312000}});
  CHECK(result.enrollments == 3);
}

TEST_CASE("apply leaves a private undo file beside the plan", "[restore][threads]")
{
  Applying applying;
  const ApplyResult result = apply_plan(applying.store, applying.journal, applying.request(), applying.clock);
  REQUIRE(std::filesystem::exists(result.undo_file));
  CHECK(result.undo_file.parent_path() == applying.dir.path());
  struct stat status {};
  REQUIRE(::stat(result.undo_file.c_str(), &status) == 0);
  CHECK((status.st_mode & 0777) == 0600);
}

TEST_CASE("apply refuses a hash that does not match the plan, and writes nothing", "[restore][threads]")
{
  Applying applying;
  const auto before = applying.store.data.records;
  auto request = applying.request();
  request.confirm_hash = std::string(64, '0');
  CHECK(kind_of([&] { apply_plan(applying.store, applying.journal, request, applying.clock); }) == ErrorKind::data);
  CHECK(applying.store.data.records == before);
  CHECK(applying.store.data.imports.empty());
}

TEST_CASE("apply takes the hash in either case", "[restore][threads]")
{
  Applying applying;
  auto request = applying.request();
  std::transform(request.confirm_hash.begin(), request.confirm_hash.end(), request.confirm_hash.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  CHECK_NOTHROW(apply_plan(applying.store, applying.journal, request, applying.clock));
}

TEST_CASE("apply refuses a plan made against another store", "[restore][threads]")
{
  Applying applying;
  applying.store.data.account.store_id = "store-other";
  CHECK(kind_of([&] { apply_plan(applying.store, applying.journal, applying.request(), applying.clock); }) ==
        ErrorKind::data);
  CHECK(applying.store.data.imports.empty());
}

TEST_CASE("apply needs both acknowledgements", "[restore][threads]")
{
  Applying applying;
  auto request = applying.request();
  request.is_irreversible_acknowledged = false;
  CHECK(kind_of([&] { apply_plan(applying.store, applying.journal, request, applying.clock); }) ==
        ErrorKind::no_permission);
  request = applying.request();
  request.is_data_change_acknowledged = false;
  CHECK(kind_of([&] { apply_plan(applying.store, applying.journal, request, applying.clock); }) ==
        ErrorKind::no_permission);
  CHECK(applying.store.data.imports.empty());
}

TEST_CASE("apply is refused to a user who is not a super admin", "[restore][threads]")
{
  Applying applying;
  CHECK(kind_of([&] { apply_plan(applying.store, applying.journal, applying.request("viewer"), applying.clock); }) ==
        ErrorKind::no_permission);
}

TEST_CASE("apply needs a two-factor code from a user who did not sign in with SSO", "[restore][threads]")
{
  Applying applying;
  CHECK(kind_of([&] { apply_plan(applying.store, applying.journal, applying.request("admin"), applying.clock); }) ==
        ErrorKind::no_permission);
  CHECK(applying.store.data.imports.empty());
}

TEST_CASE("apply refuses while another restore holds the lock", "[restore][threads]")
{
  Applying applying;
  const auto held = applying.journal.lock_restores("store-aaaa");
  CHECK(kind_of([&] { apply_plan(applying.store, applying.journal, applying.request(), applying.clock); }) ==
        ErrorKind::temp_fail);
  CHECK(applying.store.data.imports.empty());
  CHECK(applying.journal.is_restore_running("store-aaaa"));
}

TEST_CASE("apply refuses when a record changed since the plan, and writes nothing", "[restore][threads]")
{
  Applying applying;
  SECTION("a planned value changed") { applying.store.data.records["deals"][4]["amount"] = "1000"; }
  SECTION("a planned record was deleted") { applying.store.data.records["deals"].erase(2); }
  SECTION("a restored property became read-only") { applying.store.data.types[0].properties[2].is_read_only = true; }
  SECTION("a new workflow re-enrolls on a restored property")
  {
    applying.store.data.workflows.push_back({9, "New", "0-3", {"amount"}, true, true});
  }
  const auto before = applying.store.data.records;
  CHECK(kind_of([&] { apply_plan(applying.store, applying.journal, applying.request(), applying.clock); }) ==
        ErrorKind::temp_fail);
  CHECK(applying.store.data.records == before);
  CHECK(applying.store.data.imports.empty());
  CHECK(applying.store.data.enrollments.empty());
  const auto status = restore_status(applying.store, applying.journal, true, applying.clock);
  CHECK(status.outcome == "failed");
}

TEST_CASE("apply ignores changes to properties and records the plan does not touch", "[restore][threads]")
{
  Applying applying;
  applying.store.data.records["deals"][1]["dealname"] = "Renamed";
  applying.store.data.records["deals"][3]["dealstage"] = "closedwon";
  applying.store.data.records["deals"][9] = {{"dealstage", "new"}};
  CHECK_NOTHROW(apply_plan(applying.store, applying.journal, applying.request(), applying.clock));
  CHECK(applying.value(1, "dealname") == "Renamed");
  CHECK(applying.value(3, "dealstage") == "closedwon");
}

TEST_CASE("a plan applies once: the second apply finds the store changed", "[restore][threads]")
{
  Applying applying;
  apply_plan(applying.store, applying.journal, applying.request(), applying.clock);
  CHECK(kind_of([&] { apply_plan(applying.store, applying.journal, applying.request(), applying.clock); }) ==
        ErrorKind::temp_fail);
  CHECK(applying.store.data.imports.size() == 1);
}

TEST_CASE("status and history report the last restore", "[restore][threads]")
{
  Applying applying;
  CHECK(restore_status(applying.store, applying.journal, true, applying.clock).outcome == "none");
  const ApplyResult result = apply_plan(applying.store, applying.journal, applying.request(), applying.clock);
  const auto status = restore_status(applying.store, applying.journal, true, applying.clock);
  CHECK_FALSE(status.is_running);
  CHECK(status.outcome == "completed");
  REQUIRE(status.last_run);
  CHECK(status.last_run->id == result.import_id);
  const auto history = restore_history(applying.journal, "store-aaaa");
  REQUIRE(history.size() == 1);
  CHECK(history[0].plan_hash == result.plan_hash);
  CHECK(history[0].undo_file == result.undo_file);
}

TEST_CASE("status tells an interrupted run that never committed from one that did", "[restore][threads]")
{
  Applying applying;
  // What a process killed after recording the run leaves behind.
  catalog::RestoreRun run;
  run.store_id = "store-aaaa";
  run.user = "sso-admin";
  run.object_name = "deals";
  run.object_type_id = "0-3";
  run.import_name = "Data Restore - Deal";
  run.plan = (applying.dir / "p.plan").string();
  run.plan_hash = applying.planned.sha256;
  run.records_total = applying.planned.summary.records_to_change;
  run.id = applying.journal.add_run(run);
  SECTION("killed before the store committed")
  {
    CHECK(restore_status(applying.store, applying.journal, true, applying.clock).outcome == "interrupted");
  }
  SECTION("killed after the store committed")
  {
    applying.store.data.records["deals"][1]["dealstage"] = "qualifiedtobuy";
    applying.store.data.records["deals"][2]["amount"] = "250.5";
    applying.store.data.records["deals"][4]["amount"] = "";
    const auto status = restore_status(applying.store, applying.journal, true, applying.clock);
    CHECK(status.outcome == "completed");
    CHECK(restore_history(applying.journal, "store-aaaa").size() == 1);
  }
}

namespace {

// Takes the restore lock at least 3000 times, as applies do, while another
// thread asks `question` over and over (at least `questions` times, so that
// on a busy machine too the two overlap): how often the lock was refused.
int lock_refusals_while(Applying& applying, int questions, const std::function<void()>& question)
{
  std::atomic<int> asked = 0;
  std::atomic<bool> is_done = false;
  std::thread asking([&] {
    while (!is_done) {
      question();
      ++asked;
    }
  });
  int refused = 0;
  for (int attempts = 0; attempts < 3000 || asked < questions; ++attempts) {
    try {
      const auto held = applying.journal.lock_restores("store-aaaa");
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::temp_fail)
        throw;
      ++refused;
    }
  }
  is_done = true;
  asking.join();
  return refused;
}

}  // namespace

TEST_CASE("status reads whether a restore runs and never takes the restore lock", "[restore][threads]")
{
  Applying applying;
  // The journal says a run is applying: status must tell a live apply from
  // a dead one without touching the lock an apply takes.
  catalog::RestoreRun run;
  run.store_id = "store-aaaa";
  run.user = "sso-admin";
  run.object_name = "deals";
  run.plan_hash = applying.planned.sha256;
  applying.journal.add_run(run);
  SECTION("while an apply holds the lock, status says running every time")
  {
    const auto held = applying.journal.lock_restores("store-aaaa");
    for (int i = 0; i < 200; ++i) {
      const auto status = restore_status(applying.store, applying.journal, true, applying.clock);
      REQUIRE(status.is_running);
      REQUIRE(status.outcome == "running");
    }
  }
  SECTION("an apply taking the lock while status runs in a loop never gets 75")
  {
    // Both loops run until each has gone round many times, so that on a
    // busy machine too they overlap: the status loop for at least 1000
    // status calls, the apply side for at least 3000 acquisitions.
    auto journal = applying.repository.journal();
    CHECK(lock_refusals_while(applying, 1000,
                              [&] { (void)restore_status(applying.store, journal, false, applying.clock); }) == 0);
  }
}

TEST_CASE("asking whether a restore runs never takes the restore lock", "[restore][threads]")
{
  Applying applying;
  CHECK(lock_refusals_while(applying, 3000, [&] { (void)applying.journal.is_restore_running("store-aaaa"); }) == 0);
}

TEST_CASE("a plan recorded as planned is applied in its own journal row", "[restore]")
{
  Applying applying;
  record_planned(applying.journal, applying.planned, "admin", applying.clock);
  CHECK(restore_status(applying.store, applying.journal, true, applying.clock).outcome == "planned");
  const auto planned = applying.journal.runs("store-aaaa").at(0);
  const ApplyResult result = apply_plan(applying.store, applying.journal, applying.request(), applying.clock);
  CHECK(result.import_id == planned.id);
  CHECK(applying.journal.runs("store-aaaa").size() == 1);
  CHECK(restore_status(applying.store, applying.journal, true, applying.clock).outcome == "completed");
}

TEST_CASE("apply keeps its bookkeeping in the journal", "[restore]")
{
  Applying applying;
  const ApplyResult result = apply_plan(applying.store, applying.journal, applying.request(), applying.clock);
  const auto run = applying.journal.find_run(result.import_id);
  REQUIRE(run);
  CHECK(run->state == catalog::RunState::applied);
  CHECK(run->records_written == 3);
  CHECK(run->undo_sha256 == crm::crypto::file_sha256(result.undo_file));
  REQUIRE(applying.journal.audit_log().size() == 1);
  CHECK(applying.journal.audit_log()[0].action == "restore.apply");
  REQUIRE(applying.journal.notifications().size() == 1);
  CHECK(applying.journal.notifications()[0].kind == "restore.done");
}

TEST_CASE("apply runs the plan as it was confirmed, whatever happens to the file afterwards", "[restore]")
{
  Applying applying;
  const PrivatePlan plan(applying.dir / "p.plan", applying.planned.sha256);
  std::filesystem::remove(applying.dir / "p.plan");
  std::ofstream(applying.dir / "p.plan") << "replaced\n";
  CHECK(crm::crypto::file_sha256(plan.path()) == applying.planned.sha256);
  CHECK(plan.summary().records_to_change == 3);
}

TEST_CASE("undo refuses an undo file that changed since the restore wrote it", "[restore]")
{
  Applying applying;
  const ApplyResult applied = apply_plan(applying.store, applying.journal, applying.request(), applying.clock);
  std::ofstream(applied.undo_file, std::ios::app) << "\n";
  CHECK(kind_of([&] {
          make_undo_plan(applying.store, applying.journal, {"admin", applied.import_id, applying.dir / "undo.plan"},
                         applying.clock);
        }) == ErrorKind::data);
}

TEST_CASE("undo makes a plan that puts back the values the restore overwrote", "[restore][threads]")
{
  Applying applying;
  const auto before = applying.store.data.records;
  const ApplyResult applied = apply_plan(applying.store, applying.journal, applying.request(), applying.clock);
  REQUIRE(applying.store.data.records != before);

  const PlanResult undo_plan = make_undo_plan(applying.store, applying.journal,
                                              {"admin", applied.import_id, applying.dir / "undo.plan"}, applying.clock);
  CHECK(undo_plan.summary.records_to_change == 3);
  CHECK(undo_plan.summary.records_created == 0);
  CHECK(undo_plan.header.source.undo_of_import == applied.import_id);

  auto request = applying.request();
  request.plan = applying.dir / "undo.plan";
  request.confirm_hash = undo_plan.sha256;
  apply_plan(applying.store, applying.journal, request, applying.clock);
  CHECK(applying.store.data.records == before);
  CHECK(applying.store.data.imports.size() == 2);
}

TEST_CASE("undo of an unknown import is not found", "[restore][threads]")
{
  Applying applying;
  CHECK(kind_of([&] {
          make_undo_plan(applying.store, applying.journal, {"admin", 42, applying.dir / "u.plan"}, applying.clock);
        }) == ErrorKind::not_found);
}
