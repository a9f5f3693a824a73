// schedule::run over simulated time: a FixedClock, a real backup repository
// and a real store (for enable's permission checks), and a backup job that
// publishes small archives into the repository the way snapshot::create
// does (writer lock, the enterprise frequency limit, publish). The job can be
// told to fail, to see retries and notifications.

#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/base/file_lock.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/crypto/sha256.hpp>
#include <crm/schedule/configuration.hpp>
#include <crm/schedule/run.hpp>
#include <crm/store/sqlite/admin.hpp>
#include <crm/store/store.hpp>
#include <support/error_of.hpp>
#include <support/scoped_env.hpp>
#include <support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <random>
#include <set>
#include <vector>

using crm::Error;
using crm::ErrorKind;
using crm::FixedClock;
using crm::UnixTime;
namespace catalog = crm::catalog;
namespace schedule = crm::schedule;
namespace store = crm::store;

namespace {

constexpr std::int64_t k_minute = 60;
constexpr std::int64_t k_hour = 3600;
constexpr std::int64_t k_day = 86400;
constexpr std::int64_t k_week = 7 * k_day;

// Monday 2026-01-05 00:00 UTC.
const UnixTime k_monday = crm::parse_iso8601("2026-01-05T00:00:00Z");

class PublishingJob final : public schedule::BackupJob {
public:
  explicit PublishingJob(std::filesystem::path repository) : m_repository(std::move(repository)) {}

  schedule::MadeBackup make_backup(const schedule::BackupRequest& request, const crm::Clock& clock) override
  {
    const std::string& user = request.user;
    const UnixTime slot = request.slot;
    ++attempts;
    passphrases.push_back(request.passphrase);
    if (failure)
      throw *failure;
    auto repository = catalog::Repository::open(m_repository, catalog::OpenIntent::create);
    repository.acquire_writer_lock();
    repository.check_frequency(catalog::FrequencyLimit{"enterprise", k_day}, clock.now());
    catalog::PendingArchive pending = repository.begin_archive(clock.now());
    const std::string content = "archive for " + crm::format_iso8601(slot);
    pending.file->write(content);
    catalog::BackupRecord record;
    record.sha256 = crm::crypto::sha256_hex(content);
    record.user = user;
    record.note = request.note;
    record.format_version = 1;
    const catalog::BackupRecord published = repository.publish(std::move(pending), record);
    ready_notifications.push_back(published.id);
    slots_backed_up.push_back(slot);
    return {published.id, published.created_at};
  }

  void notify_failure(const std::string&, UnixTime slot, const Error&, UnixTime) override
  {
    failure_notifications.push_back(slot);
  }

  std::optional<Error> failure;
  int attempts = 0;
  std::vector<std::string> ready_notifications;
  std::vector<UnixTime> slots_backed_up;
  std::vector<UnixTime> failure_notifications;
  std::vector<std::optional<std::string>> passphrases;  // what each attempt was given

private:
  std::filesystem::path m_repository;
};

struct Fixture {
  crm::test::TempDir dir{"schedule-run"};
  std::filesystem::path store_path = dir / "store.sqlite";
  std::filesystem::path repository = dir / "repo";
  FixedClock clock{k_monday + 10 * k_hour};
  PublishingJob job{repository};

  explicit Fixture(store::PlanTier tier = store::PlanTier::enterprise)
  {
    store::sqlite::create_store(store_path, store::Account{"42", "Acme", "", tier});
    store::sqlite::Admin admin(store_path);
    admin.add_user(store::User{"admin", true, false});
    admin.add_user(store::User{"sales", false, false});
  }

  schedule::EnableResult enable(int every_weeks, std::string_view day = "mon", std::string_view at = "02:00",
                                std::string zone = "UTC")
  {
    schedule::EnableRequest request;
    request.every_weeks = every_weeks;
    request.weekday = schedule::parse_weekday(day);
    request.at = schedule::parse_time_of_day(at);
    request.time_zone = std::move(zone);
    auto store = store::open_store((store_path).string(), store::Access::read_write);
    return schedule::enable(*store, repository, "admin", request, clock);
  }

  // Enables a weekly Monday 02:00 UTC schedule that encrypts with the
  // passphrase in `passphrase_file`.
  void enable_encrypted()
  {
    crm::write_file_atomically(passphrase_file, "correct horse battery staple\n", 0600);
    schedule::EnableRequest request;
    request.passphrase_file = passphrase_file;
    auto store = store::open_store((store_path).string(), store::Access::read_write);
    schedule::enable(*store, repository, "admin", request, clock);
  }

  // The error the next run throws.
  Error failed_run()
  {
    return crm::test::error_of([&] { run(); });
  }

  schedule::RunReport run() { return schedule::run(repository, job, clock); }

  std::filesystem::path passphrase_file = dir / "passphrase";

  std::vector<catalog::BackupRecord> backups()
  {
    return catalog::Repository::open(repository, catalog::OpenIntent::read).list();
  }

  std::size_t archive_files()
  {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(repository))
      count += entry.path().extension() == ".zip" ? 1 : 0;
    return count;
  }
};

struct YearOutcome {
  std::vector<UnixTime> slots;      // every slot of the year
  std::vector<UnixTime> run_times;  // when run was called
  std::set<std::string> pruned;
  int backed_up = 0;
  UnixTime last_backup_run = 0;  // runs prune only when they back up
};

// Calls run at irregular times (1 minute to 9 hours apart) for a year, except
// while the machine is "off" in [off_from, off_until).
YearOutcome simulate_year(Fixture& fixture, int every_weeks, UnixTime off_from, UnixTime off_until)
{
  YearOutcome outcome;
  const UnixTime start = fixture.clock.now();
  const UnixTime end = start + 365 * k_day;
  for (UnixTime slot = k_monday + 7 * k_day + 2 * k_hour; slot <= end; slot += every_weeks * k_week)
    outcome.slots.push_back(slot);
  std::mt19937 random(20260105);
  std::uniform_int_distribution<std::int64_t> gap(k_minute, 9 * k_hour);
  while (fixture.clock.now() < end) {
    fixture.clock.advance(gap(random));
    if (fixture.clock.now() >= off_from && fixture.clock.now() < off_until)
      continue;
    outcome.run_times.push_back(fixture.clock.now());
    const schedule::RunReport report = fixture.run();
    if (report.outcome == schedule::RunOutcome::backed_up) {
      ++outcome.backed_up;
      outcome.last_backup_run = fixture.clock.now();
    }
    outcome.pruned.insert(report.pruned.begin(), report.pruned.end());
  }
  return outcome;
}

// What should have happened: one backup per slot, at the first run at or
// after it, except that slots passed while the machine was off give one
// backup together, at the first run after it is back on.
std::vector<UnixTime> expected_backup_times(const YearOutcome& outcome)
{
  std::vector<UnixTime> expected;
  for (const UnixTime slot : outcome.slots) {
    const auto run = std::lower_bound(outcome.run_times.begin(), outcome.run_times.end(), slot);
    if (run == outcome.run_times.end())
      continue;
    if (expected.empty() || expected.back() != *run)
      expected.push_back(*run);
  }
  return expected;
}

void check_year(Fixture& fixture, const YearOutcome& outcome, UnixTime off_from, UnixTime off_until, int every_weeks)
{
  const std::vector<UnixTime> expected = expected_backup_times(outcome);
  // The month off swallows several slots but costs only one catch-up backup.
  std::size_t slots_while_off = 0;
  for (const UnixTime slot : outcome.slots)
    slots_while_off += slot >= off_from && slot < off_until ? 1 : 0;
  REQUIRE(slots_while_off >= static_cast<std::size_t>(4 / every_weeks));
  CHECK(expected.size() ==
        outcome.slots.size() - slots_while_off + 1 - (outcome.slots.back() > outcome.run_times.back() ? 1 : 0));

  CHECK(outcome.backed_up == static_cast<int>(expected.size()));
  CHECK(fixture.job.ready_notifications.size() == expected.size());
  CHECK(fixture.job.failure_notifications.empty());

  // Every backup, kept or pruned, was made at an expected time.
  std::vector<UnixTime> made;
  std::set<std::string> made_ids(fixture.job.ready_notifications.begin(), fixture.job.ready_notifications.end());
  const auto kept = fixture.backups();
  for (const auto& record : kept)
    made.push_back(record.created_at);
  // Expired backups were pruned: only those inside the 14-day window at the
  // last backup are left, and every other one was reported pruned and its
  // archive removed.
  const UnixTime now = outcome.last_backup_run;
  for (const UnixTime time : expected) {
    const bool is_in_window = time + 14 * k_day > now;
    const bool is_kept = std::find(made.begin(), made.end(), time) != made.end();
    INFO("backup expected at " << crm::format_iso8601(time));
    CHECK(is_kept == is_in_window);
  }
  CHECK(kept.size() + outcome.pruned.size() == expected.size());
  for (const auto& id : outcome.pruned)
    CHECK(made_ids.count(id) == 1);
  CHECK(fixture.archive_files() == kept.size());
}

}  // namespace

TEST_CASE("schedule::run over a year of weekly slots makes exactly the expected backups, catching up a month off "
          "once",
          "[schedule]")
{
  Fixture fixture;
  const auto enabled = fixture.enable(1);
  CHECK(enabled.next_slot == k_monday + k_week + 2 * k_hour);
  const UnixTime off_from = k_monday + 150 * k_day + 13 * k_hour;  // a Thursday afternoon
  const UnixTime off_until = off_from + 29 * k_day;                // back on a Friday
  const YearOutcome outcome = simulate_year(fixture, 1, off_from, off_until);
  CHECK(outcome.slots.size() == 52);
  check_year(fixture, outcome, off_from, off_until, 1);
}

TEST_CASE("schedule::run over a year of biweekly slots makes exactly the expected backups, catching up a month "
          "off once",
          "[schedule]")
{
  Fixture fixture;
  fixture.enable(2);
  const UnixTime off_from = k_monday + 150 * k_day + 13 * k_hour;
  const UnixTime off_until = off_from + 29 * k_day;
  const YearOutcome outcome = simulate_year(fixture, 2, off_from, off_until);
  CHECK(outcome.slots.size() == 26);
  check_year(fixture, outcome, off_from, off_until, 2);
}

TEST_CASE("schedule::run does nothing before the first slot and says when it is", "[schedule]")
{
  Fixture fixture;
  fixture.enable(1, "wed", "14:30");
  const auto report = fixture.run();
  CHECK(report.outcome == schedule::RunOutcome::nothing_due);
  CHECK(report.next_slot == k_monday + 2 * k_day + 14 * k_hour + 30 * k_minute);
  CHECK(report.message.find("nothing due") == 0);
  CHECK(fixture.job.attempts == 0);
}

TEST_CASE("schedule::run does nothing when the schedule is disabled or was never enabled", "[schedule]")
{
  Fixture fixture;
  fixture.enable(1);
  {
    auto store = store::open_store((fixture.store_path).string(), store::Access::read_write);
    CHECK(schedule::disable(*store, fixture.repository, "admin"));
    CHECK_FALSE(schedule::disable(*store, fixture.repository, "admin"));
  }
  fixture.clock.advance(30 * k_day);
  CHECK(fixture.run().outcome == schedule::RunOutcome::disabled);
  CHECK(fixture.job.attempts == 0);
}

TEST_CASE("schedule::run without a repository is not_found", "[schedule]")
{
  Fixture fixture;
  try {
    fixture.run();
    FAIL("ran");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::not_found);
  }
}

TEST_CASE("schedule::run while another run holds the schedule lock makes no backup", "[schedule]")
{
  Fixture fixture;
  fixture.enable(1);
  fixture.clock.advance(k_week);
  {
    const auto other = crm::FileLock::try_acquire(fixture.repository / schedule::k_schedule_lock_name);
    REQUIRE(other);
    CHECK(fixture.run().outcome == schedule::RunOutcome::busy);
    CHECK(fixture.job.attempts == 0);
  }
  CHECK(fixture.run().outcome == schedule::RunOutcome::backed_up);
  CHECK(fixture.run().outcome == schedule::RunOutcome::nothing_due);
  CHECK(fixture.backups().size() == 1);
}

TEST_CASE("schedule::run while a manual backup holds the repository lock defers the slot to a later run", "[schedule]")
{
  Fixture fixture;
  fixture.enable(1);
  fixture.clock.advance(k_week);
  {
    auto manual = catalog::Repository::open(fixture.repository, catalog::OpenIntent::write);
    manual.acquire_writer_lock();
    try {
      fixture.run();
      FAIL("ran");
    } catch (const Error& error) {
      CHECK(error.kind() == ErrorKind::temp_fail);
      CHECK(std::string(error.what()).find("deferred") != std::string::npos);
    }
  }
  CHECK(fixture.job.failure_notifications.empty());
  fixture.clock.advance(10 * k_minute);
  CHECK(fixture.run().outcome == schedule::RunOutcome::backed_up);
  CHECK(fixture.backups().size() == 1);
}

TEST_CASE("schedule::run counts the backup a killed run published for the slot and makes no second one", "[schedule]")
{
  Fixture fixture;
  fixture.enable(1);
  fixture.clock.advance(k_week);
  const UnixTime slot = k_monday + k_week + 2 * k_hour;
  // What a run killed after publishing, before recording the outcome, leaves.
  const std::string id =
      fixture.job.make_backup({"admin", slot, std::nullopt, schedule::slot_note(slot)}, fixture.clock).id;
  fixture.clock.advance(10 * k_minute);
  const schedule::RunReport report = fixture.run();
  CHECK(report.outcome == schedule::RunOutcome::backed_up);
  CHECK(report.backup_id == id);
  CHECK(fixture.job.attempts == 1);
  CHECK(fixture.backups().size() == 1);
  CHECK(fixture.run().outcome == schedule::RunOutcome::nothing_due);
}

TEST_CASE("schedule::run keeps the plan's frequency limit after a manual backup", "[schedule]")
{
  Fixture fixture;
  fixture.enable(1);
  // A manual backup 20 hours before the slot.
  fixture.clock.set(k_monday + k_week + 2 * k_hour - 20 * k_hour);
  fixture.job.make_backup({"admin", 0, std::nullopt, ""}, fixture.clock);
  fixture.clock.set(k_monday + k_week + 2 * k_hour + 5 * k_minute);
  CHECK_THROWS_AS(fixture.run(), Error);
  fixture.clock.advance(3 * k_hour);
  CHECK_THROWS_AS(fixture.run(), Error);
  CHECK(fixture.backups().size() == 1);
  fixture.clock.set(k_monday + k_week + 2 * k_hour + 4 * k_hour + 1);
  CHECK(fixture.run().outcome == schedule::RunOutcome::backed_up);
  CHECK(fixture.backups().size() == 2);
}

TEST_CASE("schedule::run reports a failed backup with its kind, retries it at the next run and notifies once",
          "[schedule]")
{
  Fixture fixture;
  fixture.enable(1);
  fixture.clock.advance(k_week);
  fixture.job.failure = Error(ErrorKind::not_found, "no store at /srv/store.sqlite", "check the path");
  for (int attempt = 0; attempt < 3; ++attempt) {
    try {
      fixture.run();
      FAIL("ran");
    } catch (const Error& error) {
      CHECK(error.kind() == ErrorKind::not_found);
      CHECK(std::string(error.what()).find("scheduled backup for 2026-01-12 02:00") == 0);
      CHECK(error.hint().find("the next run retries it") != std::string::npos);
    }
    fixture.clock.advance(10 * k_minute);
  }
  CHECK(fixture.job.attempts == 3);
  CHECK(fixture.job.failure_notifications == std::vector<UnixTime>{k_monday + k_week + 2 * k_hour});

  fixture.job.failure.reset();
  const auto report = fixture.run();
  CHECK(report.outcome == schedule::RunOutcome::backed_up);
  CHECK(report.slot == k_monday + k_week + 2 * k_hour);
  CHECK(fixture.run().outcome == schedule::RunOutcome::nothing_due);
  CHECK(fixture.backups().size() == 1);
}

TEST_CASE("schedule::run retries a slot still failing when the next slot comes, then backs up the newest once",
          "[schedule]")
{
  Fixture fixture;
  fixture.enable(1);
  fixture.clock.advance(k_week);
  fixture.job.failure = Error(ErrorKind::unavailable, "store unreachable");
  CHECK_THROWS_AS(fixture.run(), Error);
  fixture.clock.advance(k_week);
  CHECK_THROWS_AS(fixture.run(), Error);
  // Each slot's first failure is notified.
  CHECK(fixture.job.failure_notifications.size() == 2);
  fixture.job.failure.reset();
  CHECK(fixture.run().slot == k_monday + 2 * k_week + 2 * k_hour);
  CHECK(fixture.run().outcome == schedule::RunOutcome::nothing_due);
  CHECK(fixture.backups().size() == 1);
}

TEST_CASE("schedule::run prunes with the keep rules given to enable", "[schedule]")
{
  Fixture fixture;
  schedule::EnableRequest request;
  request.keep = catalog::KeepRules{0, 4, 0};
  {
    auto store = store::open_store((fixture.store_path).string(), store::Access::read_write);
    schedule::enable(*store, fixture.repository, "admin", request, fixture.clock);
  }
  for (int week = 0; week < 10; ++week) {
    fixture.clock.advance(k_week);
    CHECK(fixture.run().outcome == schedule::RunOutcome::backed_up);
  }
  // Two inside the download window, and the newest of two more ISO weeks.
  CHECK(fixture.backups().size() == 4);
}

TEST_CASE("schedule::run defers a slot that comes less than a day after a catch-up backup", "[schedule]")
{
  Fixture fixture;
  fixture.enable(1);
  // Off for three weeks; back on Sunday evening, six hours before a slot.
  fixture.clock.set(k_monday + 27 * k_day + 20 * k_hour);
  const auto catch_up = fixture.run();
  CHECK(catch_up.outcome == schedule::RunOutcome::backed_up);
  CHECK(catch_up.slot == k_monday + 21 * k_day + 2 * k_hour);
  fixture.clock.set(k_monday + 28 * k_day + 2 * k_hour);
  try {
    fixture.run();
    FAIL("ran");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::temp_fail);
    CHECK(std::string(error.what()).find("next backup allowed at 2026-02-02 20:00 UTC") != std::string::npos);
  }
  fixture.clock.set(k_monday + 28 * k_day + 20 * k_hour);
  CHECK(fixture.run().slot == k_monday + 28 * k_day + 2 * k_hour);
  CHECK(fixture.backups().size() == 2);
  CHECK(fixture.job.failure_notifications.empty());
}

TEST_CASE("schedule::run gives an encrypted schedule's passphrase to each backup, read anew at every slot",
          "[schedule]")
{
  const crm::test::ScopedEnv no_credentials("CREDENTIALS_DIRECTORY", nullptr);
  Fixture fixture;
  fixture.enable_encrypted();
  fixture.clock.advance(k_week);
  CHECK(fixture.run().outcome == schedule::RunOutcome::backed_up);
  crm::write_file_atomically(fixture.passphrase_file, "a new passphrase", 0400);
  fixture.clock.advance(k_week);
  CHECK(fixture.run().outcome == schedule::RunOutcome::backed_up);
  CHECK(fixture.job.passphrases ==
        std::vector<std::optional<std::string>>{"correct horse battery staple", "a new passphrase"});
}

TEST_CASE("schedule::run gives no passphrase to the backups of a schedule that does not encrypt", "[schedule]")
{
  const crm::test::TempDir credentials;
  crm::write_file_atomically(credentials / "passphrase", "from systemd", 0400);
  const crm::test::ScopedEnv systemd("CREDENTIALS_DIRECTORY", credentials.path().c_str());
  Fixture fixture;
  fixture.enable(1);
  fixture.clock.advance(k_week);
  CHECK(fixture.run().outcome == schedule::RunOutcome::backed_up);
  CHECK(fixture.job.passphrases == std::vector<std::optional<std::string>>{std::nullopt});
}

TEST_CASE("schedule::run fails a slot whose passphrase file is missing as a configuration error, notifies it "
          "once, and backs up once the file is back",
          "[schedule]")
{
  const crm::test::ScopedEnv no_credentials("CREDENTIALS_DIRECTORY", nullptr);
  Fixture fixture;
  fixture.enable_encrypted();
  const std::filesystem::path hidden = fixture.dir / "hidden";
  std::filesystem::rename(fixture.passphrase_file, hidden);
  fixture.clock.advance(k_week);
  for (int attempt = 0; attempt < 3; ++attempt) {
    const Error error = fixture.failed_run();
    CHECK(error.kind() == ErrorKind::config);
    CHECK_THAT(error.what(), Catch::StartsWith("scheduled backup for 2026-01-12 02:00 UTC failed: cannot read the "
                                               "passphrase of scheduled backups: the passphrase file " +
                                               fixture.passphrase_file.string() + " does not exist"));
    CHECK_THAT(error.hint(), Catch::EndsWith("the next run retries it"));
    fixture.clock.advance(10 * k_minute);
  }
  CHECK(fixture.job.attempts == 0);
  CHECK(fixture.job.failure_notifications == std::vector<UnixTime>{k_monday + k_week + 2 * k_hour});

  std::filesystem::rename(hidden, fixture.passphrase_file);
  const auto report = fixture.run();
  CHECK(report.outcome == schedule::RunOutcome::backed_up);
  CHECK(report.slot == k_monday + k_week + 2 * k_hour);
  CHECK(fixture.job.failure_notifications.size() == 1);
}

TEST_CASE("schedule::run refuses a passphrase file that others can read by now, without reading it", "[schedule]")
{
  const crm::test::ScopedEnv no_credentials("CREDENTIALS_DIRECTORY", nullptr);
  Fixture fixture;
  fixture.enable_encrypted();
  std::filesystem::permissions(fixture.passphrase_file, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  fixture.clock.advance(k_week);
  const Error error = fixture.failed_run();
  CHECK(error.kind() == ErrorKind::config);
  CHECK_THAT(error.what(), Catch::Contains("group or others can read it"));
  CHECK_THAT(error.line(), !Catch::Contains("correct horse"));
  CHECK(fixture.job.attempts == 0);
}

TEST_CASE("schedule::run reads the passphrase from systemd's credential before the schedule's file", "[schedule]")
{
  const crm::test::TempDir credentials;
  Fixture fixture;
  fixture.enable_encrypted();
  {
    // A credentials directory without our credential: the schedule's file.
    const crm::test::ScopedEnv systemd("CREDENTIALS_DIRECTORY", credentials.path().c_str());
    fixture.clock.advance(k_week);
    CHECK(fixture.run().outcome == schedule::RunOutcome::backed_up);
    // systemd grants a service user other than root its credential with an
    // ACL entry, which stat shows as group bits: not refused.
    crm::write_file_atomically(credentials / "passphrase", "from systemd\n", 0440);
    std::filesystem::remove(fixture.passphrase_file);
    fixture.clock.advance(k_week);
    CHECK(fixture.run().outcome == schedule::RunOutcome::backed_up);
  }
  CHECK(fixture.job.passphrases ==
        std::vector<std::optional<std::string>>{"correct horse battery staple", "from systemd"});
}
