#include <crm/cli/nearest_name.hpp>

#include <catch2/catch.hpp>

using crm::cli::edit_distance;
using crm::cli::nearest_name;

TEST_CASE("edit distance counts a swap of neighbours as one edit", "[cli]")
{
  CHECK(edit_distance("create", "create") == 0);
  CHECK(edit_distance("craete", "create") == 1);
  CHECK(edit_distance("lst", "list") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("the nearest name is suggested only when it is near enough to be a typo", "[cli]")
{
  const std::vector<std::string> subcommands{"create", "list", "show", "download", "verify", "diff", "prune"};
  CHECK(nearest_name("craete", subcommands) == "create");
  CHECK(nearest_name("lsit", subcommands) == "list");
  CHECK(nearest_name("verfiy", subcommands) == "verify");
  CHECK(nearest_name("dowload", subcommands) == "download");
  CHECK_FALSE(nearest_name("restore", subcommands));
  CHECK_FALSE(nearest_name("xyz", subcommands));
  CHECK(nearest_name("--jsn", {"--json", "--store"}) == "--json");
  CHECK_FALSE(nearest_name("anything", {}));
}
