#include <crm/notify/notifier.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using crm::notify::deliver;
using crm::notify::Event;

TEST_CASE("deliver prints the message and warns when the notify command fails", "[notify]")
{
  Event event;
  event.kind = "backup.ready";
  event.message = "backup b-1 ready";
  std::vector<std::string> lines;
  deliver(event, {nullptr, nullptr, "", "exit 4"}, [&](std::string_view line) { lines.emplace_back(line); });
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "backup b-1 ready");
  CHECK_THAT(lines[1], Catch::StartsWith("warning: the notify command exited with status 4"));
}

TEST_CASE("deliver without a command or a printer does nothing visible", "[notify]")
{
  Event event;
  event.message = "backup b-1 failed";
  CHECK_NOTHROW(deliver(event, {}, {}));
  CHECK_NOTHROW(deliver(event, {nullptr, nullptr, "", "exit 1"}, {}));
}
