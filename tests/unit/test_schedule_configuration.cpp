#include <crm/base/error.hpp>
#include <crm/catalog/repository.hpp>
#include <crm/schedule/configuration.hpp>
#include <crm/store/sqlite/admin.hpp>
#include <crm/store/store.hpp>

#include <support/temp_dir.hpp>

#include <catch2/catch.hpp>

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

  const auto stored = crm::catalog::Repository::open(setup.repository, crm::catalog::OpenIntent::read).schedule();
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
  const auto stored = crm::catalog::Repository::open(setup.repository, crm::catalog::OpenIntent::read).schedule();
  REQUIRE(stored);
  CHECK_FALSE(stored->is_enabled);
  CHECK(stored->user == "admin");
}
