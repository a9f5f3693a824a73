#include "support/temp_dir.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/catalog/backup_id.hpp>
#include <crm/catalog/download.hpp>
#include <crm/catalog/download_window.hpp>
#include <crm/catalog/prune.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/sql/database.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <functional>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace crm::catalog;
using crm::Error;
using crm::ErrorKind;
using crm::UnixTime;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t k_day = 24 * 3600;
const UnixTime k_jan_25 = crm::parse_iso8601("2026-01-25T02:00:00Z");

unsigned mode_of(const fs::path& path)
{
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  return status.st_mode & 07777;
}

std::string read_file(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

ErrorKind kind_of(const std::function<void()>& action, std::string* line = nullptr)
{
  try {
    action();
  } catch (const Error& error) {
    if (line)
      *line = error.line();
    return error.kind();
  }
  FAIL("no error thrown");
  return ErrorKind::internal;
}

BackupRecord make_backup(Repository& repository, UnixTime snapshot_time, std::string_view content = "PK zip bytes")
{
  PendingArchive pending = repository.begin_archive(snapshot_time);
  pending.file->write(content);
  BackupRecord record;
  record.sha256 = crm::crypto::sha256_hex(content);
  record.account_id = "123456";
  record.user = "alice";
  record.note = "before the bulk edit";
  record.format_version = 1;
  record.objects = {{"deals", 30}, {"contacts", 1200}};  // backup order, not alphabetical
  return repository.publish(std::move(pending), record);
}

Repository writer(const fs::path& directory)
{
  Repository repository = Repository::open(directory, OpenIntent::create);
  repository.acquire_writer_lock();
  return repository;
}

// Ends this process at once, as kill -9 would: no destructor runs.
[[noreturn]] void die()
{
  ::raise(SIGKILL);
  ::_exit(4);
}

// Runs `body` in a child process, which must end by die().
void run_and_kill(const std::function<void()>& body)
{
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    try {
      body();
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(5);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
}

}  // namespace

TEST_CASE("create makes a private repository directory and catalog", "[catalog]")
{
  crm::test::TempDir temp("repo");
  const fs::path directory = temp / "nested" / "repo";
  Repository::open(directory, OpenIntent::create);
  CHECK(mode_of(directory) == 0700);
  CHECK(mode_of(directory / "catalog.sqlite") == 0600);
  CHECK(Repository::open(directory, OpenIntent::read).list().empty());
}

TEST_CASE("reading or writing a missing repository creates nothing and says how to make one", "[catalog]")
{
  crm::test::TempDir temp("repo");
  for (const OpenIntent intent : {OpenIntent::read, OpenIntent::write}) {
    std::string line;
    CHECK(kind_of([&] { Repository::open(temp / "missing", intent); }, &line) == ErrorKind::not_found);
    CHECK(line == fmt::format("no backup repository at {} (run crm-backup create first or check "
                              "--repo/CRM_BACKUP_REPO)",
                              (temp / "missing").string()));
    CHECK_FALSE(fs::exists(temp / "missing"));
  }
  fs::create_directory(temp / "empty");
  CHECK(kind_of([&] { Repository::open(temp / "empty", OpenIntent::read); }) == ErrorKind::not_found);
  CHECK(crm::test::names_in(temp / "empty").empty());
}

TEST_CASE("create tightens an existing directory that others can read to 0700", "[catalog]")
{
  crm::test::TempDir temp("repo");
  fs::create_directory(temp / "repo");
  ::chmod((temp / "repo").c_str(), 0755);
  Repository::open(temp / "repo", OpenIntent::create);
  CHECK(mode_of(temp / "repo") == 0700);
}

TEST_CASE("create refuses a non-empty directory that holds no catalog", "[catalog]")
{
  crm::test::TempDir temp("repo");
  fs::create_directory(temp / "home");
  std::ofstream(temp / "home" / "notes.txt") << "mine";
  std::string line;
  CHECK(kind_of([&] { Repository::open(temp / "home", OpenIntent::create); }, &line) == ErrorKind::config);
  CHECK(line.find("is not empty and holds no backup catalog") != std::string::npos);
  CHECK(crm::test::names_in(temp / "home") == std::vector<std::string>{"notes.txt"});
}

TEST_CASE("a repository path that is a file is a configuration error", "[catalog]")
{
  crm::test::TempDir temp("repo");
  std::ofstream(temp / "file") << "x";
  CHECK(kind_of([&] { Repository::open(temp / "file", OpenIntent::create); }) == ErrorKind::config);
}

TEST_CASE("a catalog of a newer version is refused as a configuration error", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository::open(temp / "repo", OpenIntent::create);
  crm::sql::Database(temp / "repo" / "catalog.sqlite", crm::sql::OpenMode::read_write, "catalog").set_user_version(99);
  std::string line;
  CHECK(kind_of([&] { Repository::open(temp / "repo", OpenIntent::read); }, &line) == ErrorKind::config);
  CHECK(line.find("catalog version 99") != std::string::npos);
}

TEST_CASE("a published backup is listed with everything the catalog records", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  const BackupRecord published = make_backup(repository, k_jan_25, "zip content");
  CHECK(published.id.starts_with("20260125T020000Z-"));
  CHECK(published.archive_name == archive_name_for(published.id));
  CHECK(published.size_bytes == 11);
  CHECK(read_file(temp / "repo" / published.archive_name) == "zip content");
  CHECK(mode_of(temp / "repo" / published.archive_name) == 0600);

  const BackupRecord found = Repository::open(temp / "repo", OpenIntent::read).find(published.id);
  CHECK(found.created_at == k_jan_25);
  CHECK(found.sha256 == crm::crypto::sha256_hex("zip content"));
  CHECK(found.account_id == "123456");
  CHECK(found.user == "alice");
  CHECK(found.note == "before the bulk edit");
  CHECK(found.objects == std::vector<std::pair<std::string, std::int64_t>>{{"deals", 30}, {"contacts", 1200}});
  CHECK(found.total_records() == 1230);
  CHECK(found.format_version == 1);
  CHECK(found.state == BackupState::complete);
  CHECK_FALSE(found.is_encrypted);
}

TEST_CASE("list shows the newest backup first", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  make_backup(repository, k_jan_25);
  make_backup(repository, k_jan_25 + 2 * k_day);
  make_backup(repository, k_jan_25 + k_day);
  const auto records = repository.list();
  REQUIRE(records.size() == 3);
  CHECK(records[0].created_at == k_jan_25 + 2 * k_day);
  CHECK(records[1].created_at == k_jan_25 + k_day);
  CHECK(records[2].created_at == k_jan_25);
  CHECK(repository.newest()->id == records[0].id);
}

TEST_CASE("find of an unknown id says how to see the backups", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = Repository::open(temp / "repo", OpenIntent::create);
  std::string line;
  CHECK(kind_of([&] { repository.find("20260125T020000Z-0000"); }, &line) == ErrorKind::not_found);
  CHECK(line == fmt::format("no backup 20260125T020000Z-0000 in {} (crm-backup list shows the backups)",
                            (temp / "repo").string()));
}

TEST_CASE("a second writer is refused while the lock is held", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository first = writer(temp / "repo");
  Repository second = Repository::open(temp / "repo", OpenIntent::write);
  std::string line;
  CHECK(kind_of([&] { second.acquire_writer_lock(); }, &line) == ErrorKind::temp_fail);
  CHECK(line == "another backup is running in this repository (lock held) (wait for it to finish and run again)");
  CHECK(mode_of(temp / "repo" / "lock") == 0600);
}

TEST_CASE("the lock is free again once its holder is gone", "[catalog]")
{
  crm::test::TempDir temp("repo");
  {
    Repository first = writer(temp / "repo");
  }
  Repository second = Repository::open(temp / "repo", OpenIntent::write);
  CHECK_NOTHROW(second.acquire_writer_lock());
}

TEST_CASE("writing an archive or removing a backup needs the writer lock", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = Repository::open(temp / "repo", OpenIntent::create);
  CHECK(kind_of([&] { repository.begin_archive(k_jan_25); }) == ErrorKind::internal);
  CHECK(kind_of([&] { prune(repository, KeepRules{}, k_jan_25, false); }) == ErrorKind::internal);
  Repository reader = Repository::open(temp / "repo", OpenIntent::read);
  CHECK(kind_of([&] { reader.acquire_writer_lock(); }) == ErrorKind::internal);
}

TEST_CASE("an archive dropped before publishing leaves nothing behind", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  {
    PendingArchive pending = repository.begin_archive(k_jan_25);
    pending.file->write("half a zip");
    CHECK(fs::exists(pending.file->temporary_path()));
  }
  CHECK(crm::test::names_in(temp / "repo") == std::vector<std::string>{"catalog.sqlite", "lock"});
  CHECK(repository.list().empty());
}

TEST_CASE("a writer killed while writing leaves a temporary file that the next writer removes", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository::open(temp / "repo", OpenIntent::create);
  run_and_kill([&] {
    Repository repository = writer(temp / "repo");
    PendingArchive pending = repository.begin_archive(k_jan_25);
    pending.file->write("half a zip");
    die();
  });
  const auto left = crm::test::names_in(temp / "repo");
  CHECK(std::count_if(left.begin(), left.end(), [](const std::string& name) { return crm::is_temporary_name(name); }) ==
        1);
  CHECK(Repository::open(temp / "repo", OpenIntent::read).list().empty());

  writer(temp / "repo");
  CHECK(crm::test::names_in(temp / "repo") == std::vector<std::string>{"catalog.sqlite", "lock"});
}

TEST_CASE("a writer killed after the rename but before the row leaves an orphan that the next writer removes",
          "[catalog]")
{
  crm::test::TempDir temp("repo");
  {
    Repository repository = writer(temp / "repo");
    make_backup(repository, k_jan_25 - 8 * k_day);
  }
  run_and_kill([&] {
    Repository repository = writer(temp / "repo");
    PendingArchive pending = repository.begin_archive(k_jan_25);
    pending.file->write("a whole zip");
    pending.file->commit();
    die();
  });
  Repository reader = Repository::open(temp / "repo", OpenIntent::read);
  REQUIRE(reader.list().size() == 1);
  const std::string kept = reader.list().front().archive_name;
  CHECK(crm::test::names_in(temp / "repo").size() == 4);  // catalog, lock, the published archive and the orphan

  Repository next = writer(temp / "repo");
  CHECK(crm::test::names_in(temp / "repo") == std::vector<std::string>{"catalog.sqlite", kept, "lock"});
  CHECK(next.list().size() == 1);
}

TEST_CASE("a prune killed after deleting rows leaves files that the next writer removes", "[catalog]")
{
  crm::test::TempDir temp("repo");
  std::string id;
  {
    Repository repository = writer(temp / "repo");
    id = make_backup(repository, k_jan_25).id;
  }
  // The first step of removal, alone: the row goes, the file stays.
  const std::string ids[] = {id};
  Catalog(temp / "repo" / "catalog.sqlite", crm::sql::OpenMode::read_write).erase(ids);
  CHECK(fs::exists(temp / "repo" / archive_name_for(id)));
  CHECK(Repository::open(temp / "repo", OpenIntent::read).list().empty());
  writer(temp / "repo");
  CHECK_FALSE(fs::exists(temp / "repo" / archive_name_for(id)));
}

TEST_CASE("remove deletes the row and the archive", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  const BackupRecord record = make_backup(repository, k_jan_25);
  repository.remove(std::vector<std::string>{record.id});
  CHECK(repository.list().empty());
  CHECK_FALSE(fs::exists(temp / "repo" / record.archive_name));
  CHECK(kind_of([&] { repository.remove(std::vector<std::string>{record.id}); }) == ErrorKind::not_found);
}

TEST_CASE("a catalog row whose archive name is not the one its id gives is refused before any file is touched",
          "[catalog]")
{
  crm::test::TempDir temp("repo");
  std::ofstream(temp / "victim.txt") << "not a backup";
  const auto point_row_at = [&](const std::string& id, const std::string& name) {
    crm::sql::Database catalog(temp / "repo" / "catalog.sqlite", crm::sql::OpenMode::read_write, "catalog");
    catalog.exec(fmt::format("UPDATE backups SET archive_name = '{}' WHERE id = '{}'", name, id));
  };
  Repository repository = writer(temp / "repo");
  const BackupRecord first = make_backup(repository, k_jan_25 - 60 * k_day);
  const BackupRecord second = make_backup(repository, k_jan_25);
  point_row_at(first.id, "../victim.txt");
  point_row_at(second.id, "crm-backup-" + first.id + ".zip");

  std::string line;
  CHECK(kind_of([&] { repository.archive_path(repository.find(first.id)); }, &line) == ErrorKind::data);
  CHECK_THAT(line, Catch::Contains("names the archive \"../victim.txt\""));
  CHECK(kind_of([&] { download(repository, first.id, temp / "out.zip", first.created_at); }) == ErrorKind::data);
  CHECK(kind_of([&] { download(repository, second.id, temp / "out.zip", k_jan_25); }) == ErrorKind::data);
  CHECK(kind_of([&] { repository.remove(std::vector<std::string>{first.id}); }) == ErrorKind::data);
  CHECK(kind_of([&] { prune(repository, KeepRules{}, k_jan_25 + 30 * k_day, false); }) == ErrorKind::data);
  CHECK(fs::exists(temp / "victim.txt"));
  CHECK_FALSE(fs::exists(temp / "out.zip"));
  CHECK(fs::exists(temp / "repo" / ("crm-backup-" + first.id + ".zip")));
  CHECK(repository.list().size() == 2);
}

TEST_CASE("a backup within the plan's interval is refused, counting removed backups too", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  const FrequencyLimit starter{"starter", 7 * k_day};
  CHECK_NOTHROW(repository.check_frequency(starter, k_jan_25));
  const BackupRecord record = make_backup(repository, k_jan_25);
  std::string line;
  CHECK(kind_of([&] { repository.check_frequency(starter, k_jan_25 + 6 * k_day); }, &line) == ErrorKind::temp_fail);
  CHECK(line.find("next backup allowed at 2026-02-01 02:00 UTC") != std::string::npos);
  repository.remove(std::vector<std::string>{record.id});
  CHECK(kind_of([&] { repository.check_frequency(starter, k_jan_25 + 6 * k_day); }) == ErrorKind::temp_fail);
  CHECK_NOTHROW(repository.check_frequency(starter, k_jan_25 + 7 * k_day));
}

TEST_CASE("download copies a backup within its window, private and checked", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  const BackupRecord record = make_backup(repository, k_jan_25, "the archive bytes");
  Repository reader = Repository::open(temp / "repo", OpenIntent::read);

  const DownloadResult result = download(reader, record.id, temp / "out.zip", k_jan_25 + 14 * k_day - 1);
  CHECK(result.path == temp / "out.zip");
  CHECK(result.size_bytes == 17);
  CHECK(read_file(temp / "out.zip") == "the archive bytes");
  CHECK(mode_of(temp / "out.zip") == 0600);

  const DownloadResult into_directory = download(reader, record.id, temp.path(), k_jan_25);
  CHECK(into_directory.path == temp / record.archive_name);
  CHECK(read_file(into_directory.path) == "the archive bytes");
}

TEST_CASE("a backup past its 14 days cannot be downloaded", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  const BackupRecord record = make_backup(repository, k_jan_25);
  CHECK(expires_at(record) == crm::parse_iso8601("2026-02-08T02:00:00Z"));
  CHECK_FALSE(is_expired(record, expires_at(record) - 1));
  CHECK(is_expired(record, expires_at(record)));
  std::string line;
  CHECK(kind_of([&] { download(repository, record.id, temp / "out.zip", expires_at(record)); }, &line) ==
        ErrorKind::not_found);
  CHECK(line == fmt::format("backup {} expired on 2026-02-08 02:00 UTC; the download window is 14 days (make a new "
                            "backup)",
                            record.id));
  CHECK_FALSE(fs::exists(temp / "out.zip"));
}

TEST_CASE("a tampered archive is refused on download and nothing is written", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  const BackupRecord record = make_backup(repository, k_jan_25, "the archive bytes");
  std::ofstream(temp / "repo" / record.archive_name, std::ios::binary) << "the archive byteZ";
  CHECK(kind_of([&] { download(repository, record.id, temp / "out.zip", k_jan_25); }) == ErrorKind::data);
  CHECK(crm::test::names_in(temp.path()) == std::vector<std::string>{"repo"});

  fs::remove(temp / "repo" / record.archive_name);
  CHECK(kind_of([&] { download(repository, record.id, temp / "out.zip", k_jan_25); }) == ErrorKind::data);
}

TEST_CASE("a download to a place that cannot be created is cannot_create", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  const BackupRecord record = make_backup(repository, k_jan_25);
  CHECK(kind_of([&] { download(repository, record.id, temp / "no" / "such" / "dir.zip", k_jan_25); }) ==
        ErrorKind::cannot_create);
}

TEST_CASE("prune over six months of weekly backups keeps the window and what the rules hold", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  crm::FixedClock clock(crm::parse_iso8601("2026-01-04T02:00:00Z"));  // a Sunday
  std::vector<BackupRecord> made;
  for (int week = 0; week < 26; ++week, clock.advance(7 * k_day))
    made.push_back(make_backup(repository, clock.now()));
  clock.set(made.back().created_at + k_day);  // Monday 2026-06-29

  const auto dry = prune(repository, KeepRules{0, 2, 3}, clock.now(), true);
  CHECK(repository.list().size() == 26);

  const auto decisions = prune(repository, KeepRules{0, 2, 3}, clock.now(), false);
  CHECK(decisions.size() == dry.size());
  std::set<std::string> kept;
  for (const auto& record : repository.list())
    kept.insert(day_bucket(record.created_at));
  // Window: Jun 21 and Jun 28; keep-weekly 2 holds the same two; keep-monthly
  // 3 holds the newest of June (Jun 28), May (May 31) and April (Apr 26).
  CHECK(kept == std::set<std::string>{"2026-04-26", "2026-05-31", "2026-06-21", "2026-06-28"});
  for (const auto& record : made)
    CHECK(fs::exists(temp / "repo" / record.archive_name) == kept.contains(day_bucket(record.created_at)));
}

TEST_CASE("settings keep small values by key", "[catalog]")
{
  crm::test::TempDir temp("repo");
  {
    Repository repository = Repository::open(temp / "repo", OpenIntent::create);
    CHECK_FALSE(repository.settings().get("notify_command"));
    repository.settings().set("notify_command", "/usr/local/bin/notify --backup");
    repository.settings().set("notify_command", "logger crm-backup");
  }
  Repository reader = Repository::open(temp / "repo", OpenIntent::read);
  CHECK(reader.settings().get("notify_command") == "logger crm-backup");
  CHECK(kind_of([&] { reader.settings().set("notify_command", "x"); }) == ErrorKind::internal);
  Repository repository = Repository::open(temp / "repo", OpenIntent::write);
  repository.settings().erase("notify_command");
  CHECK_FALSE(repository.settings().get("notify_command"));
}

TEST_CASE("the schedule's configuration and state survive a reopen", "[catalog]")
{
  crm::test::TempDir temp("repo");
  ScheduleRecord schedule;
  schedule.is_enabled = true;
  schedule.every_weeks = 2;
  schedule.weekday = 7;
  schedule.hour = 2;
  schedule.minute = 30;
  schedule.time_zone = "Europe/Berlin";
  schedule.enabled_at = k_jan_25;
  schedule.user = "alice";
  {
    Repository repository = Repository::open(temp / "repo", OpenIntent::create);
    CHECK_FALSE(repository.schedule().get());
    repository.schedule().set(schedule);
  }
  auto stored = Repository::open(temp / "repo", OpenIntent::read).schedule().get();
  REQUIRE(stored);
  CHECK(stored->is_enabled);
  CHECK(stored->every_weeks == 2);
  CHECK(stored->weekday == 7);
  CHECK(stored->minute == 30);
  CHECK(stored->time_zone == "Europe/Berlin");
  CHECK(stored->enabled_at == k_jan_25);
  CHECK(stored->user == "alice");
  CHECK_FALSE(stored->last_run_at);
  CHECK_FALSE(stored->last_attempted_slot);

  schedule.last_run_at = k_jan_25 + 60;
  schedule.last_outcome = "ok";
  schedule.last_attempted_slot = k_jan_25;
  Repository::open(temp / "repo", OpenIntent::write).schedule().set(schedule);
  stored = Repository::open(temp / "repo", OpenIntent::read).schedule().get();
  CHECK(stored->last_run_at == k_jan_25 + 60);
  CHECK(stored->last_outcome == "ok");
  CHECK(stored->last_attempted_slot == k_jan_25);
}

TEST_CASE("a version 3 catalog reads as never verified and is upgraded by a writer", "[catalog]")
{
  crm::test::TempDir temp("repo");
  const BackupRecord record = [&] {
    Repository repository = writer(temp / "repo");
    return make_backup(repository, k_jan_25);
  }();
  {
    crm::sql::Database db(temp / "repo" / "catalog.sqlite", crm::sql::OpenMode::read_write, "catalog");
    db.exec("ALTER TABLE backup_objects DROP COLUMN position; ALTER TABLE backups DROP COLUMN damage; "
            "ALTER TABLE backups DROP COLUMN verified_at;");
    db.set_user_version(3);
  }
  CHECK_FALSE(Repository::open(temp / "repo", OpenIntent::read).find(record.id).verified_at);
  Repository repository = Repository::open(temp / "repo", OpenIntent::write);
  repository.set_state(record.id, BackupState::verified, k_jan_25 + 60);
  CHECK(repository.find(record.id).verified_at == k_jan_25 + 60);
  CHECK(repository.list().front().state == BackupState::verified);
}

TEST_CASE("a backup's state can be recorded after verify", "[catalog]")
{
  crm::test::TempDir temp("repo");
  Repository repository = writer(temp / "repo");
  const BackupRecord record = make_backup(repository, k_jan_25);
  CHECK_FALSE(repository.find(record.id).verified_at);
  repository.set_state(record.id, BackupState::damaged, k_jan_25 + 60, "contacts.csv: size mismatch");
  const BackupRecord found = repository.find(record.id);
  CHECK(found.state == BackupState::damaged);
  CHECK(found.verified_at == k_jan_25 + 60);
  CHECK(found.damage == "contacts.csv: size mismatch");
  CHECK(repository.list().front().damage == "contacts.csv: size mismatch");
  CHECK(to_string(BackupState::verified) == "verified");
  CHECK(parse_backup_state("verified") == BackupState::verified);
}
