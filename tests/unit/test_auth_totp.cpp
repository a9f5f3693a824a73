#include <crm/auth/totp.hpp>

#include <catch2/catch.hpp>

#include <string>

using crm::auth::match_totp;
using crm::auth::totp_code;
using crm::auth::totp_step;

namespace {
const std::string k_rfc_secret = "12345678901234567890";  // RFC 6238 appendix B, SHA-1
}

TEST_CASE("totp_code matches the RFC 6238 appendix B SHA-1 vectors", "[auth]")
{
  CHECK(totp_code(k_rfc_secret, totp_step(59), 8) == "94287082");
  CHECK(totp_code(k_rfc_secret, totp_step(1111111109), 8) == "07081804");
  CHECK(totp_code(k_rfc_secret, totp_step(1111111111), 8) == "14050471");
  CHECK(totp_code(k_rfc_secret, totp_step(1234567890), 8) == "89005924");
  CHECK(totp_code(k_rfc_secret, totp_step(2000000000), 8) == "69279037");
  CHECK(totp_code(k_rfc_secret, totp_step(20000000000), 8) == "65353130");
}

TEST_CASE("totp_code gives six digits by default, keeping leading zeros", "[auth]")
{
  CHECK(totp_code(k_rfc_secret, totp_step(59)) == "287082");
  CHECK(totp_code(k_rfc_secret, totp_step(1111111109)) == "081804");
  CHECK(totp_code(k_rfc_secret, totp_step(1234567890)) == "005924");
  CHECK(totp_code(k_rfc_secret, totp_step(20000000000)) == "353130");
}

TEST_CASE("totp_step counts 30-second steps from the epoch", "[auth]")
{
  CHECK(totp_step(0) == 0);
  CHECK(totp_step(29) == 0);
  CHECK(totp_step(30) == 1);
  CHECK(totp_step(59) == 1);
  CHECK(totp_step(1111111109) == 0x23523EC);
  CHECK(totp_step(-1) == -1);
}

TEST_CASE("match_totp accepts the current code and returns its step", "[auth]")
{
  const std::int64_t now = 1700000015;
  const std::int64_t step = totp_step(now);
  CHECK(match_totp(k_rfc_secret, totp_code(k_rfc_secret, step), now) == step);
}

TEST_CASE("match_totp accepts a code one step old or one step ahead, and no further", "[auth]")
{
  const std::int64_t step = 56666667;
  const std::string code = totp_code(k_rfc_secret, step);
  const std::int64_t first_second = step * 30;
  // Valid from the start of the step before to the end of the step after.
  CHECK(match_totp(k_rfc_secret, code, first_second - 30) == step);
  CHECK(match_totp(k_rfc_secret, code, first_second + 59) == step);
  CHECK_FALSE(match_totp(k_rfc_secret, code, first_second - 31));
  CHECK_FALSE(match_totp(k_rfc_secret, code, first_second + 60));
}

TEST_CASE("match_totp refuses a wrong code and a code for another secret", "[auth]")
{
  const std::int64_t now = 1700000015;
  const std::string code = totp_code(k_rfc_secret, totp_step(now));
  const std::string wrong = code == "000000" ? "000001" : "000000";
  CHECK_FALSE(match_totp(k_rfc_secret, wrong, now));
  CHECK_FALSE(match_totp("another secret of 20b", code, now));
}

TEST_CASE("match_totp refuses codes that are not exactly six ASCII digits", "[auth]")
{
  const std::int64_t now = 59;
  CHECK(match_totp(k_rfc_secret, "287082", now) == 1);
  for (const char* malformed :
       {"", "28708", "2870820", "94287082", "28708a", " 287082", "287082\n", "28 082", "+87082", "２87082"}) {
    INFO("code '" << malformed << "'");
    CHECK_FALSE(match_totp(k_rfc_secret, malformed, now));
  }
}

TEST_CASE("match_totp refuses every code for an empty secret", "[auth]")
{
  CHECK_FALSE(match_totp("", totp_code("", totp_step(59)), 59));
}
