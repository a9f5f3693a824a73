#include <crm/base/lowercase.hpp>

#include <catch2/catch.hpp>

using crm::lowercase;

TEST_CASE("lowercase lowers ASCII letters only", "[base]")
{
  CHECK(lowercase("Content-Type") == "content-type");
  CHECK(lowercase("ABCDEF0123") == "abcdef0123");
  CHECK(lowercase("") == "");
  CHECK(lowercase("Zo\xc3\x8b \xc3\x89T\xc3\x89") == "zo\xc3\x8b \xc3\x89t\xc3\x89");
}
