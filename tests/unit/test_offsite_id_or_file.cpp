#include "support/error_of.hpp"
#include "test_snapshot_fixture.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/offsite/id_or_file.hpp>
#include <crm/snapshot/create.hpp>

#include <catch2/catch.hpp>

using crm::ErrorKind;
using crm::offsite::resolve_id_or_file;
using crm::test::error_of;

TEST_CASE("resolve_id_or_file takes an existing file as it is, with no record", "[offsite]")
{
  crm::test::TempDir dir;
  crm::write_file_atomically(dir / "backup.zip", "not checked here");
  const auto resolved = resolve_id_or_file((dir / "backup.zip").string(), {});
  CHECK(resolved.path == dir / "backup.zip");
  CHECK(resolved.record.id.empty());
  CHECK(resolved.remote_name.empty());
}

TEST_CASE("resolve_id_or_file refuses a missing path, and an id without a repository", "[offsite]")
{
  crm::test::TempDir dir;
  CHECK(error_of([&] { resolve_id_or_file((dir / "gone").string(), dir.path()); }).kind() == ErrorKind::not_found);
  CHECK(error_of([&] { resolve_id_or_file("gone.zip", dir.path()); }).kind() == ErrorKind::not_found);
  CHECK(error_of([&] { resolve_id_or_file("20260101T000000Z-abcd", {}); }).kind() == ErrorKind::usage);
}

TEST_CASE("resolve_id_or_file finds a backup id's checked archive in the repository", "[offsite]")
{
  crm::test::SnapshotStore fixture;
  auto store = fixture.open();
  const auto created = crm::snapshot::create(*store, fixture.repository(), "admin", {}, crm::FixedClock(1767225600));
  const auto resolved = resolve_id_or_file(created.id, fixture.repository());
  CHECK(resolved.path == created.archive);
  CHECK(resolved.record.id == created.id);
  CHECK(resolved.record.sha256 == created.sha256);
  CHECK(resolved.remote_name.empty());
  const auto unknown = error_of([&] { resolve_id_or_file("20260101T000000Z-abcd", fixture.repository()); });
  CHECK(unknown.kind() == ErrorKind::not_found);
}
