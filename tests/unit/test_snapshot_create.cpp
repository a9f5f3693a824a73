#include "support/update_record.hpp"
#include "test_snapshot_fixture.hpp"

#include <crm/base/error.hpp>
#include <crm/base/file_read.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/snapshot/backup_reader.hpp>
#include <crm/snapshot/create.hpp>
#include <crm/snapshot/verify.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <thread>

using crm::Error;
using crm::ErrorKind;
using crm::FixedClock;
using namespace crm::snapshot;

namespace {

constexpr crm::UnixTime k_start = 1767225600;  // 2026-01-01T00:00:00Z

// Every record of `object` in the archive, id -> values.
std::map<crm::store::RecordId, std::vector<std::string>> records_of(const BackupReader& backup, std::string_view object)
{
  std::map<crm::store::RecordId, std::vector<std::string>> records;
  const ObjectEntry* entry = backup.manifest().find(object);
  REQUIRE(entry);
  backup.scan(*entry, [&](crm::store::RecordId id, std::span<const std::string> values) {
    records[id] = std::vector<std::string>(values.begin(), values.end());
  });
  return records;
}

ErrorKind kind_of(const std::function<void()>& action)
{
  try {
    action();
  } catch (const Error& error) {
    return error.kind();
  }
  FAIL("no error was thrown");
  return ErrorKind::internal;
}

}  // namespace

TEST_CASE("A backup holds every record and verifies", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  const FixedClock clock(k_start);
  std::vector<std::string> lines;
  CreateOptions options;
  options.print_line = [&](std::string_view line) { lines.emplace_back(line); };
  const CreateResult result = create(*store, fixture.repository(), "admin", options, clock);

  CHECK(result.created_at == k_start);
  CHECK(std::filesystem::exists(result.archive));
  const auto private_file = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
  CHECK((std::filesystem::status(result.archive).permissions() & std::filesystem::perms::all) == private_file);
  CHECK(result.objects ==
        std::vector<std::pair<std::string, std::int64_t>>{{"contacts", 4}, {"deals", 50}, {"tickets", 0}});
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::StartsWith("backup " + result.id + " ready: 54 records in 3 objects"));

  const VerifyReport report = verify(result.archive, std::nullopt);
  CHECK(report.records == 54);
  CHECK(report.files_checked == 2);  // tickets has no records: no file

  const BackupReader backup(result.archive, std::nullopt);
  CHECK(backup.manifest().snapshot_time == k_start);
  CHECK(backup.manifest().find("tickets")->file_name.empty());
  const auto contacts = records_of(backup, "contacts");
  REQUIRE(contacts.size() == 4);
  crm::store::RecordId id = 1;
  for (const auto& values : crm::test::awkward_contact_values()) {
    CHECK(contacts.at(id) == values);
    id += 10;
  }
  CHECK(records_of(backup, "deals").at(7) == std::vector<std::string>{"Deal 7", "700"});

  auto repository = crm::catalog::Repository::open(fixture.repository(), crm::catalog::OpenIntent::read);
  const auto record = repository.find(result.id);
  CHECK(record.sha256 == result.sha256);
  CHECK(std::ranges::find(record.objects, std::pair<std::string, std::int64_t>{"tickets", 0}) != record.objects.end());
  CHECK(record.user == "admin");
}

TEST_CASE("The same store state gives a byte-identical archive", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  const FixedClock clock(k_start);
  const auto first = create(*store, fixture.repository("one"), "admin", {}, clock);
  const auto second = create(*store, fixture.repository("two"), "admin", {}, clock);
  CHECK(first.id != second.id);
  CHECK(first.sha256 == second.sha256);
  CHECK(crm::read_small_file(first.archive) == crm::read_small_file(second.archive));
}

TEST_CASE("A backup shows the store as it was when it started, whatever is written meanwhile", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  const FixedClock clock(k_start);
  bool has_written = false;
  const crm::ProgressFn write_mid_backup = [&](const crm::Progress&) {
    if (has_written)
      return;
    has_written = true;
    std::thread writer([&] {
      auto other = fixture.open();
      auto write = other->write();
      const auto contacts = *write->find_object_type("contacts");
      const auto deals = *write->find_object_type("deals");
      const std::vector<std::string> email{"email"};
      const std::vector<std::string> amount{"amount"};
      crm::test::update_record(*write, contacts, 1, email, std::vector<std::string>{"changed@example.com"});
      crm::test::update_record(*write, deals, 50, amount, std::vector<std::string>{"0"});
      write->commit();
    });
    writer.join();
  };
  const auto result = create(*store, fixture.repository(), "admin", {}, clock, write_mid_backup);
  REQUIRE(has_written);
  const BackupReader backup(result.archive, std::nullopt);
  CHECK(records_of(backup, "contacts").at(1)[0] == "ann@example.com");
  CHECK(records_of(backup, "deals").at(50)[1] == "5000");
  // The write did happen: the live store has it.
  auto reader = store->read();
  std::string live_amount;
  const std::vector<std::string> amount{"amount"};
  reader->scan_records(*reader->find_object_type("deals"), amount,
                       [&](crm::store::RecordId id, std::span<const std::string_view> values) {
                         if (id == 50)
                           live_amount = values[0];
                       });
  CHECK(live_amount == "0");
}

TEST_CASE("Excluding sensitive data leaves sensitive properties out and the manifest says so", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  CreateOptions options;
  options.is_sensitive_excluded = true;
  const auto result = create(*store, fixture.repository(), "admin", options, FixedClock(k_start));
  const BackupReader backup(result.archive, std::nullopt);
  CHECK(backup.manifest().is_sensitive_excluded);
  const ObjectEntry* contacts = backup.manifest().find("contacts");
  CHECK(contacts->excluded_properties == std::vector<std::string>{"ssn"});
  for (const auto& property : contacts->properties)
    CHECK(property.name != "ssn");
  CHECK(records_of(backup, "contacts").at(1) == std::vector<std::string>{"ann@example.com", "Ann", "plain"});
}

TEST_CASE("An encrypted backup needs its passphrase to be read", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  CreateOptions options;
  options.passphrase = crm::SecretString(std::string("correct horse"));
  const auto result = create(*store, fixture.repository(), "admin", options, FixedClock(k_start));
  CHECK(result.is_encrypted);
  CHECK(kind_of([&] { verify(result.archive, std::nullopt); }) == ErrorKind::no_permission);
  CHECK(kind_of([&] { verify(result.archive, crm::SecretString(std::string("wrong"))); }) == ErrorKind::no_permission);
  const BackupReader backup(result.archive, crm::SecretString(std::string("correct horse")));
  CHECK(records_of(backup, "contacts").at(21)[1] == "Zoë 東京 🎉");
}

TEST_CASE("Only super admins may back up, and nothing is written for anyone else", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  CHECK(kind_of([&] { create(*store, fixture.repository(), "viewer", {}, FixedClock(k_start)); }) ==
        ErrorKind::no_permission);
  CHECK(kind_of([&] { create(*store, fixture.repository(), "nobody", {}, FixedClock(k_start)); }) ==
        ErrorKind::no_permission);
  CHECK_FALSE(std::filesystem::exists(fixture.repository()));
}

TEST_CASE("The plan tier limits how often a backup may be made", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;  // a starter account: one backup per 7 days
  auto store = fixture.open();
  FixedClock clock(k_start);
  create(*store, fixture.repository(), "admin", {}, clock);
  clock.advance(6 * 24 * 3600);
  try {
    create(*store, fixture.repository(), "admin", {}, clock);
    FAIL("a second backup within 7 days was allowed");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::temp_fail);
    CHECK_THAT(error.what(), Catch::Contains("2026-01-08 00:00 UTC"));
  }
  clock.advance(24 * 3600);
  CHECK_NOTHROW(create(*store, fixture.repository(), "admin", {}, clock));
  auto repository = crm::catalog::Repository::open(fixture.repository(), crm::catalog::OpenIntent::read);
  CHECK(repository.list().size() == 2);
}

TEST_CASE("A backup of chosen objects holds only the object types named", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  CreateOptions options;
  options.objects = {"0-3"};
  const auto result = create(*store, fixture.repository(), "admin", options, FixedClock(k_start));
  CHECK(result.objects == std::vector<std::pair<std::string, std::int64_t>>{{"deals", 50}});
  options.objects = {"unicorns"};
  CHECK(kind_of([&] { create(*store, fixture.repository("other"), "admin", options, FixedClock(k_start)); }) ==
        ErrorKind::usage);
}

TEST_CASE("A failed backup leaves no archive and no catalog row", "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  const crm::ProgressFn fail_midway = [](const crm::Progress&) {
    throw Error(ErrorKind::io, "simulated disk failure");
  };
  CHECK(kind_of([&] { create(*store, fixture.repository(), "admin", {}, FixedClock(k_start), fail_midway); }) ==
        ErrorKind::io);
  for (const auto& entry : std::filesystem::directory_iterator(fixture.repository()))
    CHECK(entry.path().extension() != ".zip");
  auto repository = crm::catalog::Repository::open(fixture.repository(), crm::catalog::OpenIntent::read);
  CHECK(repository.list().empty());
  // The failure did not use up the frequency limit.
  CHECK_NOTHROW(create(*store, fixture.repository(), "admin", {}, FixedClock(k_start)));
}

TEST_CASE("A backup that fails half-way is notified once: by create, or by the caller that owns the failure",
          "[snapshot][threads]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  const crm::ProgressFn fail_midway = [](const crm::Progress&) {
    throw Error(ErrorKind::io, "simulated disk failure");
  };
  const auto kinds_notified = [&](const std::filesystem::path& directory) {
    std::vector<std::string> kinds;
    auto repository = crm::catalog::Repository::open(directory, crm::catalog::OpenIntent::read);
    for (const auto& notification : repository.journal().notifications())
      kinds.push_back(notification.kind);
    return kinds;
  };
  CreateOptions options;
  CHECK(kind_of([&] {
          create(*store, fixture.repository("own"), "admin", options, FixedClock(k_start), fail_midway);
        }) == ErrorKind::io);
  CHECK(kinds_notified(fixture.repository("own")) == std::vector<std::string>{"backup.failed"});
  options.failure_notice = FailureNotice::by_caller;
  CHECK(kind_of([&] {
          create(*store, fixture.repository("caller"), "admin", options, FixedClock(k_start), fail_midway);
        }) == ErrorKind::io);
  CHECK(kinds_notified(fixture.repository("caller")).empty());
}
