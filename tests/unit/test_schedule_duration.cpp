#include <crm/base/error.hpp>
#include <crm/schedule/duration.hpp>

#include <catch2/catch.hpp>

using crm::schedule::format_duration;
using crm::schedule::parse_duration;

TEST_CASE("schedule::parse_duration reads hours, days, weeks, minutes and seconds", "[schedule]")
{
  CHECK(parse_duration("36h") == 36 * 3600);
  CHECK(parse_duration("8d") == 8 * 86400);
  CHECK(parse_duration("2w") == 14 * 86400);
  CHECK(parse_duration("90m") == 90 * 60);
  CHECK(parse_duration("45s") == 45);
  CHECK(parse_duration("1d12h") == 36 * 3600);
}

TEST_CASE("schedule::parse_duration refuses what is not a duration as a usage error", "[schedule]")
{
  for (const char* text : {"", "36", "h", "36x", "3 6h", "-1h", "0h", "1.5h", "99999999999999999999d"}) {
    INFO(text);
    try {
      parse_duration(text);
      FAIL("accepted");
    } catch (const crm::Error& error) {
      CHECK(error.kind() == crm::ErrorKind::usage);
    }
  }
}

TEST_CASE("schedule::format_duration shows the two largest units", "[schedule]")
{
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(42) == "42s");
  CHECK(format_duration(5 * 3600 + 12 * 60 + 7) == "5h 12m");
  CHECK(format_duration(3 * 86400 + 4 * 3600) == "3d 4h");
  CHECK(format_duration(9 * 86400) == "9d");
  CHECK(format_duration(-5) == "0s");
}
