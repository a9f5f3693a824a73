#include "support/temp_dir.hpp"

#include <crm/base/error.hpp>
#include <crm/catalog/catalog.hpp>
#include <crm/catalog/remote_copies.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/sql/database.hpp>

#include <catch2/catch.hpp>

using namespace crm::catalog;

namespace {

RemoteCopy pending_copy(std::string remote, std::string id, crm::UnixTime created_at)
{
  RemoteCopy copy;
  copy.remote_name = std::move(remote);
  copy.backup_id = std::move(id);
  copy.created_at = created_at;
  copy.updated_at = created_at;
  copy.sidecar = "{}";
  return copy;
}

}  // namespace

TEST_CASE("catalog remote_copies keeps remotes and each copy's state", "[catalog]")
{
  crm::test::TempDir temp("remote-copies");
  auto repository = Repository::open(temp / "repo", OpenIntent::create);
  RemoteCopies copies = repository.remote_copies();
  copies.add_remote({"offsite", "s3:acme/crm", 100});
  copies.add_remote({"nas", "/mnt/nas", 101});
  CHECK_THROWS_AS(copies.add_remote({"nas", "/elsewhere", 102}), crm::Error);
  REQUIRE(copies.remotes().size() == 2);
  CHECK(copies.remotes().front().name == "nas");

  const RemoteCopy stored = copies.ensure_copy(pending_copy("offsite", "20260125T020000Z-3f9a", 1000));
  CHECK(stored.state == CopyState::pending);
  copies.record_attempt("offsite", "20260125T020000Z-3f9a", CopyState::pending, "connection refused", 1001);
  // ensure_copy keeps an existing row as it is.
  CHECK(copies.ensure_copy(pending_copy("offsite", "20260125T020000Z-3f9a", 1000)).reason == "connection refused");
  copies.record_attempt("offsite", "20260125T020000Z-3f9a", CopyState::copied, "", 1002);
  const auto rows = copies.copies_of("20260125T020000Z-3f9a");
  REQUIRE(rows.size() == 1);
  CHECK(rows.front().state == CopyState::copied);
  CHECK(rows.front().attempts == 2);
  CHECK(rows.front().updated_at == 1002);

  CHECK(copies.remove_remote("offsite"));
  CHECK(copies.copies("offsite").empty());
  CHECK_FALSE(copies.remove_remote("offsite"));
}

TEST_CASE("catalog upgrades a version 2 catalog by adding the off-site tables", "[catalog]")
{
  crm::test::TempDir temp("remote-copies-upgrade");
  {
    auto repository = Repository::open(temp / "repo", OpenIntent::create);
  }
  {
    crm::sql::Database db(temp / "repo" / "catalog.sqlite", crm::sql::OpenMode::read_write, "catalog");
    db.exec("DROP TABLE remote_copies; DROP TABLE remotes; ALTER TABLE backup_objects DROP COLUMN position; "
            "ALTER TABLE backups DROP COLUMN damage; ALTER TABLE backups DROP COLUMN verified_at;");
    db.set_user_version(2);
  }
  {
    // A reader sees a version 2 catalog as having no remotes, and changes nothing.
    auto repository = Repository::open(temp / "repo", OpenIntent::read);
    CHECK(repository.remote_copies().remotes().empty());
  }
  auto repository = Repository::open(temp / "repo", OpenIntent::write);
  CHECK(Catalog(temp / "repo" / "catalog.sqlite", crm::sql::OpenMode::read_only).schema_version() ==
        Catalog::k_schema_version);
  repository.remote_copies().add_remote({"offsite", "/mnt/offsite", 1});
  CHECK(repository.remote_copies().remotes().size() == 1);
}

TEST_CASE("catalog copy states read back as written and refuse unknown text", "[catalog]")
{
  for (const CopyState state : {CopyState::pending, CopyState::copied, CopyState::failed, CopyState::pruned})
    CHECK(parse_copy_state(to_string(state)) == state);
  CHECK_THROWS_AS(parse_copy_state("lost"), crm::Error);
}
