// BackupReader with Verification::alongside: the entries the caller reads in
// full are checked by that read, the others by the verifying thread, and
// require_verified() is the one place that says the whole archive is good.

#include "support/error_of.hpp"
#include "support/temp_dir.hpp"
#include "test_restore_fixture.hpp"

#include <crm/archive/zip_reader.hpp>
#include <crm/archive/zip_writer.hpp>
#include <crm/snapshot/backup_reader.hpp>
#include <crm/snapshot/create.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

using namespace crm;

namespace {

// A backup of two objects with records: deals (5) and conversations (2).
std::filesystem::path make_backup(const test::TempDir& dir)
{
  test::MemoryStore store;
  test::fill_account(store);
  store.data.records["conversations"][1] = {{"subject", "Hello"}};
  store.data.records["conversations"][2] = {{"subject", "Again"}};
  const FixedClock clock(1767312000);
  return snapshot::create(store, dir / "repo", "admin", {}, clock).archive;
}

// Writes `archive` again with `edit` applied to the content of entry `name`:
// a well-formed zip whose entry no longer matches the manifest.
void rewrite_entry(const std::filesystem::path& archive, const std::string& name,
                   const std::function<void(std::string&)>& edit)
{
  std::vector<std::pair<std::string, std::string>> entries;
  {
    archive::ZipReader zip(archive, [](std::string_view) { return true; });
    while (zip.next_entry()) {
      std::string content;
      std::string buffer(1 << 16, '\0');
      while (const std::size_t got = zip.read(buffer.data(), buffer.size()))
        content.append(buffer.data(), got);
      if (zip.entry_name() == name)
        edit(content);
      entries.emplace_back(zip.entry_name(), std::move(content));
    }
  }
  const int fd = ::open(archive.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  REQUIRE(fd >= 0);
  archive::ZipWriter writer(fd, archive.string(), {});
  for (const auto& [entry_name, content] : entries) {
    writer.begin_entry(entry_name);
    writer.write(content);
    writer.end_entry();
  }
  writer.close();
  ::close(fd);
}

void replace_once(std::string& text, const std::string& from, const std::string& to)
{
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

const snapshot::IsReadInFull k_deals = [](const snapshot::ObjectEntry& object) { return object.name == "deals"; };

void scan_all(const snapshot::BackupReader& backup, const std::string& object)
{
  backup.scan(*backup.manifest().find(object), [](store::RecordId, std::span<const std::string>) {});
}

}  // namespace

TEST_CASE("an entry read in full by the caller is checked by that read", "[snapshot][threads]")
{
  test::TempDir dir;
  const auto archive = make_backup(dir);
  rewrite_entry(archive, "deals.csv", [](std::string& csv) { replace_once(csv, "Alpha", "Alphb"); });
  const snapshot::BackupReader backup(archive, std::nullopt, snapshot::Verification::alongside, k_deals);

  const Error scanned = test::error_of([&] { scan_all(backup, "deals"); });
  CHECK(scanned.kind() == ErrorKind::data);
  CHECK_THAT(scanned.what(), Catch::Contains("the SHA-256 of deals.csv does not match the manifest"));
  // The damage the scan found is the verification's verdict from then on.
  const Error verified = test::error_of([&] { backup.require_verified(); });
  CHECK(std::string(verified.what()) == scanned.what());
}

TEST_CASE("an entry meant to be read in full but never read to its end is checked by require_verified",
          "[snapshot][threads]")
{
  test::TempDir dir;
  const auto archive = make_backup(dir);

  SECTION("a good archive passes after the caller stopped early")
  {
    const snapshot::BackupReader backup(archive, std::nullopt, snapshot::Verification::alongside, k_deals);
    struct Stop {};
    CHECK_THROWS_AS(backup.scan(*backup.manifest().find("deals"),
                                [](store::RecordId, std::span<const std::string>) { throw Stop{}; }),
                    Stop);
    CHECK_NOTHROW(backup.require_verified());
  }
  SECTION("a damaged one fails although the caller never scanned it")
  {
    rewrite_entry(archive, "deals.csv", [](std::string& csv) { replace_once(csv, "Gamma", "Gamm4"); });
    const snapshot::BackupReader backup(archive, std::nullopt, snapshot::Verification::alongside, k_deals);
    const Error error = test::error_of([&] { backup.require_verified(); });
    CHECK(error.kind() == ErrorKind::data);
    CHECK_THAT(error.what(), Catch::Contains("SHA-256 of deals.csv"));
  }
}

TEST_CASE("an entry the caller does not read is still verified alongside", "[snapshot][threads]")
{
  test::TempDir dir;
  const auto archive = make_backup(dir);
  rewrite_entry(archive, "conversations.csv", [](std::string& csv) { replace_once(csv, "Hello", "Hullo"); });
  const snapshot::BackupReader backup(archive, std::nullopt, snapshot::Verification::alongside, k_deals);
  CHECK_NOTHROW(scan_all(backup, "deals"));
  const Error error = test::error_of([&] { backup.require_verified(); });
  CHECK(error.kind() == ErrorKind::data);
  CHECK_THAT(error.what(), Catch::Contains("SHA-256 of conversations.csv"));
}

TEST_CASE("a malformed row in a damaged entry is reported as the checksum mismatch it is", "[snapshot][threads]")
{
  test::TempDir dir;
  const auto archive = make_backup(dir);
  // A stray quote: the CSV no longer parses, but the diagnosis is the damage.
  rewrite_entry(archive, "deals.csv", [](std::string& csv) { replace_once(csv, "Delta", "De\"lta"); });
  const snapshot::BackupReader backup(archive, std::nullopt, snapshot::Verification::alongside, k_deals);
  const Error error = test::error_of([&] { scan_all(backup, "deals"); });
  CHECK_THAT(error.what(), Catch::Contains("the SHA-256 of deals.csv does not match the manifest"));
  CHECK_THAT(error.hint(), Catch::Contains("use another backup"));
}

TEST_CASE("a good archive read alongside passes with every entry read by the caller", "[snapshot][threads]")
{
  test::TempDir dir;
  const auto archive = make_backup(dir);
  const snapshot::BackupReader backup(archive, std::nullopt, snapshot::Verification::alongside,
                                      [](const snapshot::ObjectEntry&) { return true; });
  std::vector<store::RecordId> ids;
  backup.scan(*backup.manifest().find("deals"),
              [&](store::RecordId id, std::span<const std::string>) { ids.push_back(id); });
  scan_all(backup, "conversations");
  CHECK(ids == std::vector<store::RecordId>{1, 2, 3, 4, 6});
  CHECK_NOTHROW(backup.require_verified());
}
