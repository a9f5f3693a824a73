#include <crm/base/atomic_file.hpp>
#include <support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

TEST_CASE("AtomicFile: a writer killed mid-write leaves a temporary file that the next file written there removes",
          "[base]")
{
  crm::test::TempDir temp("atomic");
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    crm::AtomicFile file(temp / "out.plan");
    file.write("half a plan");
    ::raise(SIGKILL);
    ::_exit(5);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  const std::vector<std::string> left = crm::test::names_in(temp.path());
  REQUIRE(left.size() == 1);
  CHECK(crm::is_temporary_name(left.front()));

  crm::write_file_atomically(temp / "out.plan", "a whole plan");
  CHECK(crm::test::names_in(temp.path()) == std::vector<std::string>{"out.plan"});
}

TEST_CASE("AtomicFile: a live writer's temporary file is left alone by another writer in the same directory", "[base]")
{
  crm::test::TempDir temp("atomic");
  crm::AtomicFile first(temp / "first");
  first.write("first");
  crm::write_file_atomically(temp / "second", "second");
  CHECK(fs::exists(first.temporary_path()));
  first.commit();
  std::ifstream published(temp / "first");
  std::string content;
  std::getline(published, content);
  CHECK(content == "first");
}

TEST_CASE("AtomicFile: names that are not its temporaries, and files of a live writer, are never removed", "[base]")
{
  crm::test::TempDir temp("atomic");
  for (const char* name : {".tmp-notes", ".tmp-a-0123456789abcdeg", "keep.tmp-x-0123456789abcdef"})
    std::ofstream(temp / name) << "someone else's";
  std::ofstream(temp / ".tmp-dead-0123456789abcdef") << "a dead writer's";
  crm::remove_dead_temporaries(temp.path());
  CHECK(crm::test::names_in(temp.path()) ==
        std::vector<std::string>{".tmp-a-0123456789abcdeg", ".tmp-notes", "keep.tmp-x-0123456789abcdef"});
}
