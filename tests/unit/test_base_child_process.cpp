#include <crm/base/child_process.hpp>

#include <catch2/catch.hpp>

using crm::run_child;

TEST_CASE("child_process runs a program with exactly the environment given", "[base]")
{
  std::string output;
  const auto outcome =
      run_child({"env"}, {"PATH=/usr/bin:/bin", "ONLY=this"}, [&](std::string_view bytes) { output.append(bytes); });
  CHECK(outcome.is_success);
  CHECK(output == "PATH=/usr/bin:/bin\nONLY=this\n");
}

TEST_CASE("child_process passes arguments without a shell", "[base]")
{
  std::string output;
  const auto outcome = run_child({"printf", "%s|", "$HOME", "a b", "; rm -rf /"}, {"PATH=/usr/bin:/bin"},
                                 [&](std::string_view bytes) { output.append(bytes); });
  CHECK(outcome.is_success);
  CHECK(output == "$HOME|a b|; rm -rf /|");
}

TEST_CASE("child_process reports the exit status and keeps stderr", "[base]")
{
  const auto outcome = run_child({"sh", "-c", "echo oops >&2; exit 3"}, {"PATH=/usr/bin:/bin"}, {});
  CHECK_FALSE(outcome.is_success);
  CHECK(outcome.exit_status == 3);
  CHECK(outcome.problem == "exited with status 3");
  CHECK(outcome.error_output == "oops\n");
}

TEST_CASE("child_process says when the program is not installed", "[base]")
{
  const auto outcome = run_child({"no-such-program-here"}, {"PATH=/usr/bin:/bin"}, {});
  CHECK_FALSE(outcome.is_success);
  CHECK(outcome.problem.find("not installed") != std::string::npos);
}
