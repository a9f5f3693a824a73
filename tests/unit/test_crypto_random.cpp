#include <crm/crypto/random.hpp>

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("random_bytes gives the asked-for count, different each time", "[crypto]")
{
  CHECK(crm::crypto::random_bytes(0).empty());
  const std::string first = crm::crypto::random_bytes(32);
  const std::string second = crm::crypto::random_bytes(32);
  CHECK(first.size() == 32);
  CHECK(first != second);
  CHECK(crm::crypto::random_bytes(3 << 20).size() == std::size_t{3} << 20);
}
