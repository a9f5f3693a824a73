#include <crm/base/error.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/schedule/status.hpp>
#include <support/temp_dir.hpp>

#include <catch2/catch.hpp>

using crm::Error;
using crm::ErrorKind;
using crm::UnixTime;
namespace catalog = crm::catalog;
namespace schedule = crm::schedule;

namespace {

const UnixTime k_start = crm::parse_iso8601("2026-01-05T10:00:00Z");

std::string publish(const std::filesystem::path& directory, UnixTime at)
{
  auto repository = catalog::Repository::open(directory, catalog::OpenIntent::create);
  repository.acquire_writer_lock();
  auto pending = repository.begin_archive(at);
  pending.file->write("archive");
  catalog::BackupRecord record;
  record.sha256 = crm::crypto::sha256_hex("archive");
  record.format_version = 1;
  return repository.publish(std::move(pending), record).id;
}

}  // namespace

TEST_CASE("schedule::check_freshness is fresh only while the newest backup is younger than the limit", "[schedule]")
{
  crm::test::TempDir dir("schedule-status");
  const auto repository = dir / "repo";
  crm::FixedClock clock(k_start);
  publish(repository, k_start - 10 * 86400);
  const std::string newest = publish(repository, k_start - 3600);

  auto check = schedule::check_freshness(repository, 36 * 3600, clock);
  REQUIRE(check.newest);
  CHECK(check.newest->id == newest);
  CHECK(check.age == 3600);
  CHECK(check.is_fresh);

  clock.advance(35 * 3600);
  CHECK_FALSE(schedule::check_freshness(repository, 36 * 3600, clock).is_fresh);
}

TEST_CASE("schedule::check_freshness names the newest backup, damaged or not", "[schedule]")
{
  crm::test::TempDir dir("schedule-status");
  const auto repository = dir / "repo";
  crm::FixedClock clock(k_start);
  const std::string older = publish(repository, k_start - 2 * 86400);
  const std::string damaged = publish(repository, k_start - 3600);
  catalog::Repository::open(repository, catalog::OpenIntent::write)
      .set_state(damaged, catalog::BackupState::damaged, k_start, "contacts.csv: its SHA-256 does not match");
  const auto check = schedule::check_freshness(repository, 86400, clock);
  REQUIRE(check.newest);
  CHECK(check.newest->id == damaged);
  CHECK(check.newest->state == catalog::BackupState::damaged);
  CHECK(check.newest->damage == "contacts.csv: its SHA-256 does not match");
  CHECK(check.newest->verified_at == k_start);
  CHECK(older != damaged);
}

TEST_CASE("schedule::check_freshness with no backup is not fresh, with no repository it is not_found", "[schedule]")
{
  crm::test::TempDir dir("schedule-status");
  crm::FixedClock clock(k_start);
  try {
    schedule::check_freshness(dir / "missing", 3600, clock);
    FAIL("checked");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::not_found);
  }
  catalog::Repository::open(dir / "repo", catalog::OpenIntent::create);
  const auto check = schedule::check_freshness(dir / "repo", 3600, clock);
  CHECK_FALSE(check.newest);
  CHECK_FALSE(check.is_fresh);
}

TEST_CASE("schedule::status of a repository without a schedule says so", "[schedule]")
{
  crm::test::TempDir dir("schedule-status");
  crm::FixedClock clock(k_start);
  catalog::Repository::open(dir / "repo", catalog::OpenIntent::create);
  const auto status = schedule::status(dir / "repo", clock);
  CHECK_FALSE(status.record);
  CHECK_FALSE(status.next_run);
  CHECK_FALSE(status.last_backup);
}
