#include <crm/base/clock.hpp>
#include <crm/base/error.hpp>
#include <crm/catalog/frequency.hpp>

#include <catch2/catch.hpp>

using namespace crm::catalog;
using crm::Error;
using crm::ErrorKind;

namespace {

const FrequencyLimit k_starter{"starter", 7 * 24 * 3600};
const FrequencyLimit k_enterprise{"enterprise", 24 * 3600};

std::string refusal(const FrequencyLimit& limit, crm::UnixTime last, crm::UnixTime now)
{
  try {
    check_frequency(limit, last, now);
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::temp_fail);
    return error.line();
  }
  return "allowed";
}

}  // namespace

TEST_CASE("intervals read as the plan pages say them", "[catalog]")
{
  CHECK(describe_interval(7 * 24 * 3600) == "7 days");
  CHECK(describe_interval(24 * 3600) == "24 hours");
  CHECK(describe_interval(3600) == "1 hour");
  CHECK(describe_interval(90 * 60) == "90 minutes");
  CHECK(describe_interval(61) == "61 seconds");
}

TEST_CASE("the first backup is always allowed", "[catalog]")
{
  CHECK_NOTHROW(check_frequency(k_starter, std::nullopt, 0));
}

TEST_CASE("a starter plan allows one backup every 7 days", "[catalog]")
{
  const crm::UnixTime last = crm::parse_iso8601("2026-01-25T02:00:00Z");
  CHECK(refusal(k_starter, last, last + 7 * 24 * 3600 - 1) ==
        "backup refused: the starter plan allows one backup every 7 days; next backup allowed at "
        "2026-02-01 02:00 UTC (run again after that time)");
  CHECK(refusal(k_starter, last, last + 7 * 24 * 3600) == "allowed");
}

TEST_CASE("an enterprise plan allows one backup every 24 hours", "[catalog]")
{
  const crm::UnixTime last = crm::parse_iso8601("2026-01-25T02:00:00Z");
  CHECK(refusal(k_enterprise, last, last + 3600) ==
        "backup refused: the enterprise plan allows one backup every 24 hours; next backup allowed at "
        "2026-01-26 02:00 UTC (run again after that time)");
  CHECK(refusal(k_enterprise, last, last + 24 * 3600) == "allowed");
  CHECK(next_backup_allowed_at(k_enterprise, last) == crm::parse_iso8601("2026-01-26T02:00:00Z"));
}
