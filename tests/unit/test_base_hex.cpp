#include <crm/base/hex.hpp>

#include <catch2/catch.hpp>

#include <string>

using crm::is_lower_hex;
using crm::to_hex;

TEST_CASE("to_hex writes two lowercase digits per byte", "[base]")
{
  CHECK(to_hex("") == "");
  CHECK(to_hex(std::string("\x00\x0f\xa0\xff", 4)) == "000fa0ff");
}

TEST_CASE("is_lower_hex accepts 0-9 and a-f only", "[base]")
{
  CHECK(is_lower_hex("0123456789abcdef"));
  CHECK(is_lower_hex(""));
  CHECK_FALSE(is_lower_hex("ABCDEF"));
  CHECK_FALSE(is_lower_hex("12g4"));
  CHECK_FALSE(is_lower_hex(std::string("ab\0", 3)));
}
