#include <crm/base/clock.hpp>
#include <crm/catalog/backup_id.hpp>

#include <catch2/catch.hpp>

#include <set>

using namespace crm::catalog;

TEST_CASE("a backup id is the snapshot time in UTC and four hex digits", "[catalog]")
{
  const std::string id = make_backup_id(crm::parse_iso8601("2026-01-25T02:00:00Z"));
  CHECK(id.starts_with("20260125T020000Z-"));
  CHECK(is_backup_id(id));
}

TEST_CASE("backup ids sort by snapshot time as text", "[catalog]")
{
  const std::string earlier = make_backup_id(crm::parse_iso8601("2026-01-25T23:59:59Z"));
  const std::string later = make_backup_id(crm::parse_iso8601("2026-01-26T00:00:00Z"));
  CHECK(earlier < later);
}

TEST_CASE("backup ids of the same second usually differ", "[catalog]")
{
  std::set<std::string> ids;
  for (int index = 0; index < 20; ++index)
    ids.insert(make_backup_id(1'700'000'000));
  CHECK(ids.size() > 1);
}

TEST_CASE("is_backup_id rejects anything but the id form", "[catalog]")
{
  CHECK_FALSE(is_backup_id(""));
  CHECK_FALSE(is_backup_id("20260125T020000Z"));
  CHECK_FALSE(is_backup_id("20260125T020000Z-3F9A"));
  CHECK_FALSE(is_backup_id("20260125T020000Z-3f9g"));
  CHECK_FALSE(is_backup_id("20260125X020000Z-3f9a"));
  CHECK_FALSE(is_backup_id("../../etc/passwd-3f9a"));
  CHECK(is_backup_id("20260125T020000Z-3f9a"));
}

TEST_CASE("an archive is named crm-backup-<id>.zip and gives its id back", "[catalog]")
{
  CHECK(archive_name_for("20260125T020000Z-3f9a") == "crm-backup-20260125T020000Z-3f9a.zip");
  CHECK(id_from_archive_name("crm-backup-20260125T020000Z-3f9a.zip") == "20260125T020000Z-3f9a");
}

TEST_CASE("temporary files, the catalog and stray files are not archive names", "[catalog]")
{
  CHECK_FALSE(id_from_archive_name(".tmp-crm-backup-20260125T020000Z-3f9a.zip-0123456789abcdef"));
  CHECK_FALSE(id_from_archive_name("catalog.sqlite"));
  CHECK_FALSE(id_from_archive_name("lock"));
  CHECK_FALSE(id_from_archive_name("crm-backup-notes.zip"));
  CHECK_FALSE(id_from_archive_name("crm-backup-20260125T020000Z-3f9a.zip.bak"));
}
