#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/schedule/configuration.hpp>
#include <crm/store/sqlite/admin.hpp>
#include <crm/store/store.hpp>
#include <support/error_of.hpp>
#include <support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using crm::Error;
using crm::ErrorKind;
namespace schedule = crm::schedule;
namespace store = crm::store;

namespace {

struct Setup {
  crm::test::TempDir dir{"schedule-configuration"};
  std::filesystem::path repository = dir / "repo";
  std::unique_ptr<store::Store> opened;
  crm::FixedClock clock{crm::parse_iso8601("2026-03-25T12:00:00Z")};  // a Wednesday

  explicit Setup(store::PlanTier tier)
  {
    const auto path = dir / "store.sqlite";
    store::sqlite::create_store(path, store::Account{"7", "Acme", "", tier});
    store::sqlite::Admin admin(path);
    admin.add_user(store::User{"admin", true, false});
    admin.add_user(store::User{"viewer", false, false});
    opened = store::open_store(path.string(), store::Access::read_write);
  }

  ErrorKind refusal(std::string_view user, std::string* message = nullptr)
  {
    try {
      schedule::enable(*opened, repository, user, schedule::EnableRequest{}, clock);
    } catch (const Error& error) {
      if (message)
        *message = error.what();
      return error.kind();
    }
    return ErrorKind::internal;
  }
};

}  // namespace

TEST_CASE("schedule::enable is refused below the enterprise plan, naming the plan that has it", "[schedule]")
{
  for (const auto tier : {store::PlanTier::starter, store::PlanTier::professional}) {
    Setup setup(tier);
    std::string message;
    CHECK(setup.refusal("admin", &message) == ErrorKind::no_permission);
    CHECK(message.find("enterprise") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(setup.repository));
  }
}

TEST_CASE("schedule::enable is refused to users who are not super admins", "[schedule]")
{
  Setup setup(store::PlanTier::enterprise);
  CHECK(setup.refusal("viewer") == ErrorKind::no_permission);
  CHECK(setup.refusal("nobody") == ErrorKind::no_permission);
  CHECK_FALSE(std::filesystem::exists(setup.repository));
}

TEST_CASE("schedule::enable stores the cadence and the user, and returns the first slot after now", "[schedule]")
{
  Setup setup(store::PlanTier::enterprise);
  schedule::EnableRequest request;
  request.every_weeks = 2;
  request.weekday = schedule::Weekday::sunday;
  request.at = {2, 30};
  request.time_zone = "Europe/Berlin";
  const auto result = schedule::enable(*setup.opened, setup.repository, "admin", request, setup.clock);
  // Sunday 2026-03-29 is the spring-forward day in Berlin: 02:30 does not exist
  // and the slot happens at 03:00 CEST, 01:00 UTC.
  CHECK(result.next_slot == crm::parse_iso8601("2026-03-29T01:00:00Z"));
  CHECK(result.description == "every 2 weeks on Sunday at 02:30 (Europe/Berlin)");

  const auto stored = crm::catalog::Repository::open(setup.repository, crm::catalog::OpenIntent::read).schedule().get();
  REQUIRE(stored);
  CHECK(stored->is_enabled);
  CHECK(stored->every_weeks == 2);
  CHECK(stored->weekday == 7);
  CHECK(stored->time_zone == "Europe/Berlin");
  CHECK(stored->user == "admin");
  CHECK(stored->enabled_at == setup.clock.now());
}

TEST_CASE("schedule::enable refuses an unknown time zone as a usage error", "[schedule]")
{
  Setup setup(store::PlanTier::enterprise);
  schedule::EnableRequest request;
  request.time_zone = "Mars/Olympus_Mons";
  try {
    schedule::enable(*setup.opened, setup.repository, "admin", request, setup.clock);
    FAIL("enabled");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::usage);
  }
}

TEST_CASE("schedule::disable needs a super admin and keeps the last run's state", "[schedule]")
{
  Setup setup(store::PlanTier::enterprise);
  schedule::enable(*setup.opened, setup.repository, "admin", schedule::EnableRequest{}, setup.clock);
  CHECK_THROWS_AS(schedule::disable(*setup.opened, setup.repository, "viewer"), Error);
  CHECK(schedule::disable(*setup.opened, setup.repository, "admin"));
  const auto stored = crm::catalog::Repository::open(setup.repository, crm::catalog::OpenIntent::read).schedule().get();
  REQUIRE(stored);
  CHECK_FALSE(stored->is_enabled);
  CHECK(stored->user == "admin");
}

namespace {

// Every byte under `directory` (the catalog, its WAL, archives), as one string.
std::string all_bytes_under(const std::filesystem::path& directory)
{
  std::string bytes;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory)) {
    if (!entry.is_regular_file())
      continue;
    std::ifstream file(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  return bytes;
}

}  // namespace

TEST_CASE("schedule::enable with a passphrase file stores its absolute path, never the passphrase", "[schedule]")
{
  Setup setup(store::PlanTier::enterprise);
  const auto file = setup.dir / "passphrase";
  crm::write_file_atomically(file, "correct horse battery staple\n", 0600);
  schedule::EnableRequest request;
  request.passphrase_file = file;
  const auto result = schedule::enable(*setup.opened, setup.repository, "admin", request, setup.clock);
  CHECK(result.passphrase_file == file);
  auto repository = crm::catalog::Repository::open(setup.repository, crm::catalog::OpenIntent::read);
  CHECK(schedule::passphrase_file(repository) == file);
  CHECK(schedule::passphrase_file_of(setup.repository) == file);
  CHECK(all_bytes_under(setup.repository).find("correct horse") == std::string::npos);

  // Enabling again without saying keeps encryption; an empty path ends it.
  CHECK(schedule::enable(*setup.opened, setup.repository, "admin", {}, setup.clock).passphrase_file == file);
  request.passphrase_file = std::filesystem::path();
  CHECK_FALSE(schedule::enable(*setup.opened, setup.repository, "admin", request, setup.clock).passphrase_file);
  CHECK_FALSE(schedule::passphrase_file_of(setup.repository));
}

TEST_CASE("schedule::enable refuses a passphrase file that group or others can read, and a missing one", "[schedule]")
{
  Setup setup(store::PlanTier::enterprise);
  const auto file = setup.dir / "passphrase";
  schedule::EnableRequest request;
  request.passphrase_file = file;
  const auto refusal = [&] {
    return crm::test::error_of(
        [&] { schedule::enable(*setup.opened, setup.repository, "admin", request, setup.clock); });
  };
  CHECK(refusal().kind() == ErrorKind::not_found);
  crm::write_file_atomically(file, "correct horse battery staple\n", 0644);
  const Error open = refusal();
  CHECK(open.kind() == ErrorKind::no_permission);
  CHECK_THAT(open.what(), Catch::Contains("mode 0644") && Catch::Contains("group or others can read it"));
  CHECK_FALSE(std::filesystem::exists(setup.repository));
  CHECK_FALSE(schedule::passphrase_file_of(setup.repository));
}
