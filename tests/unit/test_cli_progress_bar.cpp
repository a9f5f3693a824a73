#include <crm/cli/progress_bar.hpp>

#include <catch2/catch.hpp>

using crm::Progress;
using crm::cli::format_bytes;
using crm::cli::time_left;

TEST_CASE("format_bytes names the unit")
{
  CHECK(format_bytes(312) == "312 B");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(3ULL << 30) == "3.0 GiB");
}

TEST_CASE("time_left extrapolates the pace so far")
{
  Progress progress;
  progress.total = 1000;
  progress.done = 250;
  CHECK(time_left(progress, 10.0) == "about 30 s");
  progress.done = 100;
  CHECK(time_left(progress, 10.0) == "about 1 min 30 s");
  progress.done = 1;
  CHECK(time_left(progress, 10.0) == "about 2 h 46 min");
  progress.done = 1000;
  CHECK(time_left(progress, 10.0) == "about 0 s");
}

TEST_CASE("time_left says nothing it cannot know")
{
  Progress progress;
  progress.done = 10;
  CHECK_FALSE(time_left(progress, 10.0));  // no total
  progress.total = 100;
  CHECK_FALSE(time_left(progress, 1.0));  // too early
  progress.done = 0;
  CHECK_FALSE(time_left(progress, 10.0));  // nothing done yet
}
