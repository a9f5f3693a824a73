#include <crm/base/error.hpp>

#include <catch2/catch.hpp>

using crm::Error;
using crm::ErrorKind;

TEST_CASE("Error kinds are the sysexits codes of SPEC 7", "[base]")
{
  CHECK(crm::exit_code(ErrorKind::usage) == 64);
  CHECK(crm::exit_code(ErrorKind::data) == 65);
  CHECK(crm::exit_code(ErrorKind::not_found) == 66);
  CHECK(crm::exit_code(ErrorKind::unavailable) == 69);
  CHECK(crm::exit_code(ErrorKind::internal) == 70);
  CHECK(crm::exit_code(ErrorKind::cannot_create) == 73);
  CHECK(crm::exit_code(ErrorKind::io) == 74);
  CHECK(crm::exit_code(ErrorKind::temp_fail) == 75);
  CHECK(crm::exit_code(ErrorKind::no_permission) == 77);
  CHECK(crm::exit_code(ErrorKind::config) == 78);
}

TEST_CASE("Error::line joins what happened and what to do", "[base]")
{
  CHECK(Error(ErrorKind::temp_fail, "backup refused", "run again later").line() == "backup refused (run again later)");
  CHECK(Error(ErrorKind::data, "bad").line() == "bad");
}
