#include <crm/crypto/base32.hpp>
#include <crm/crypto/random.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>

using crm::crypto::base32_decode;
using crm::crypto::base32_encode;

TEST_CASE("base32_encode matches RFC 4648, without padding", "[crypto]")
{
  CHECK(base32_encode("") == "");
  CHECK(base32_encode("f") == "MY");
  CHECK(base32_encode("fo") == "MZXQ");
  CHECK(base32_encode("foo") == "MZXW6");
  CHECK(base32_encode("foob") == "MZXW6YQ");
  CHECK(base32_encode("fooba") == "MZXW6YTB");
  CHECK(base32_encode("foobar") == "MZXW6YTBOI");
  CHECK(base32_encode("12345678901234567890") == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST_CASE("base32_decode reads RFC 4648 text with or without padding", "[crypto]")
{
  CHECK(base32_decode("") == std::optional<std::string>(""));
  CHECK(base32_decode("MY======") == std::optional<std::string>("f"));
  CHECK(base32_decode("MZXQ====") == std::optional<std::string>("fo"));
  CHECK(base32_decode("MZXW6===") == std::optional<std::string>("foo"));
  CHECK(base32_decode("MZXW6YQ=") == std::optional<std::string>("foob"));
  CHECK(base32_decode("MZXW6YTB") == std::optional<std::string>("fooba"));
  CHECK(base32_decode("MZXW6YTBOI======") == std::optional<std::string>("foobar"));
  CHECK(base32_decode("MZXW6YTBOI") == std::optional<std::string>("foobar"));
}

TEST_CASE("base32_decode ignores case and spaces", "[crypto]")
{
  CHECK(base32_decode("mzxw 6ytb oi") == std::optional<std::string>("foobar"));
  CHECK(base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == std::optional<std::string>("12345678901234567890"));
}

TEST_CASE("base32_decode refuses characters outside the alphabet, misplaced padding and impossible lengths", "[crypto]")
{
  CHECK_FALSE(base32_decode("MZXW1YTB"));  // 1 is not a base32 digit
  CHECK_FALSE(base32_decode("MZXW0YTB"));
  CHECK_FALSE(base32_decode("MZXW8YTB"));
  CHECK_FALSE(base32_decode("MZ-XW6"));
  CHECK_FALSE(base32_decode("MY=A"));       // a digit after padding
  CHECK_FALSE(base32_decode("MY====="));    // padded to 7, not 8
  CHECK_FALSE(base32_decode("MZXW6YTB="));  // padding after a full group
  CHECK_FALSE(base32_decode("M"));          // 1, 3 or 6 digits encode no whole byte count
  CHECK_FALSE(base32_decode("MZX"));
  CHECK_FALSE(base32_decode("MZXW6Y"));
}

TEST_CASE("base32 round-trips random bytes of every length up to 40", "[crypto]")
{
  for (std::size_t length = 0; length <= 40; ++length) {
    const std::string bytes = crm::crypto::random_bytes(length);
    INFO("length " << length);
    CHECK(base32_decode(base32_encode(bytes)) == std::optional<std::string>(bytes));
  }
}
