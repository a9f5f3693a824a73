#include "support/temp_dir.hpp"

#include <crm/base/file_read.hpp>
#include <crm/base/secret_memory.hpp>
#include <crm/notify/command.hpp>

#include <catch2/catch.hpp>

using crm::notify::run_command;

TEST_CASE("The notify command sees the result in its environment", "[notify]")
{
  crm::test::TempDir dir("notify");
  const auto out = dir / "env.txt";
  const auto outcome = run_command("printf '%s %s' \"$CRM_BACKUP_ID\" \"$CRM_BACKUP_STATE\" > '" + out.string() + "'",
                                   {{"CRM_BACKUP_ID", "b-1"}, {"CRM_BACKUP_STATE", "ready"}});
  CHECK(outcome.is_success);
  CHECK(crm::read_small_file(out) == "b-1 ready");
}

TEST_CASE("Our variables replace inherited ones of the same name", "[notify]")
{
  crm::test::TempDir dir("notify");
  const auto out = dir / "env.txt";
  ::setenv("CRM_BACKUP_STATE", "stale", 1);
  const auto outcome =
      run_command("printf '%s' \"$CRM_BACKUP_STATE\" > '" + out.string() + "'", {{"CRM_BACKUP_STATE", "failed"}});
  ::unsetenv("CRM_BACKUP_STATE");
  CHECK(outcome.is_success);
  CHECK(crm::read_small_file(out) == "failed");
}

TEST_CASE("A failing notify command is reported, not thrown", "[notify]")
{
  const auto exited = run_command("exit 3", {});
  CHECK_FALSE(exited.is_success);
  CHECK(exited.problem == "exited with status 3");
  const auto killed = run_command("kill -9 $$", {});
  CHECK_FALSE(killed.is_success);
  CHECK(killed.problem == "was killed by signal 9");
}

TEST_CASE("The notify command never sees the secrets in our environment", "[notify]")
{
  crm::test::TempDir dir("notify");
  const auto out = dir / "env.txt";
  for (const std::string_view name : crm::k_secret_environment_names)
    ::setenv(std::string(name).c_str(), "s3cret-value", 1);
  ::setenv("CRM_NOT_A_SECRET", "visible", 1);
  const auto outcome = run_command("env > '" + out.string() + "'", {{"CRM_BACKUP_ID", "b-1"}});
  for (const std::string_view name : crm::k_secret_environment_names)
    ::unsetenv(std::string(name).c_str());
  ::unsetenv("CRM_NOT_A_SECRET");
  CHECK(outcome.is_success);
  const std::string environment = crm::read_small_file(out);
  CHECK(environment.find("s3cret-value") == std::string::npos);
  CHECK(environment.find("CRM_NOT_A_SECRET=visible") != std::string::npos);
  CHECK(environment.find("CRM_BACKUP_ID=b-1") != std::string::npos);
}
