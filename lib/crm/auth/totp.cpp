#include "crm/auth/totp.hpp"

#include <crm/base/error.hpp>
#include <crm/crypto/hmac.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace crm::auth {

std::int64_t totp_step(UnixTime time)
{
  // Floor, not truncation, so that times before the epoch still step evenly.
  const std::int64_t quotient = time / k_totp_step_seconds;
  return (time % k_totp_step_seconds < 0) ? quotient - 1 : quotient;
}

std::string totp_code(std::string_view secret_bytes, std::int64_t step, int digits)
{
  if (digits < 1 || digits > 9)
    throw Error(ErrorKind::internal, fmt::format("a TOTP code cannot have {} digits", digits));
  if (step < 0)
    throw Error(ErrorKind::internal, "a TOTP step before the Unix epoch", "check the system clock");
  char counter[8];
  auto remaining = static_cast<std::uint64_t>(step);
  for (int index = 7; index >= 0; --index) {
    counter[index] = static_cast<char>(remaining & 0xFF);
    remaining >>= 8;
  }
  const std::string mac = crypto::hmac(crypto::Digest::sha1, secret_bytes, std::string_view(counter, 8));
  // RFC 4226 section 5.3: four bytes at the offset named by the low nibble of
  // the last byte, without their top bit.
  const auto byte_at = [&mac](std::size_t index) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(mac[index]));
  };
  const std::size_t offset = byte_at(mac.size() - 1) & 0x0F;
  const std::uint32_t truncated =
      ((byte_at(offset) & 0x7F) << 24) | (byte_at(offset + 1) << 16) | (byte_at(offset + 2) << 8) | byte_at(offset + 3);
  std::uint32_t modulus = 1;
  for (int digit = 0; digit < digits; ++digit)
    modulus *= 10;
  return fmt::format("{:0{}}", truncated % modulus, digits);
}

std::optional<std::int64_t> match_totp(std::string_view secret_bytes, std::string_view code, UnixTime now)
{
  const bool is_well_formed = code.size() == static_cast<std::size_t>(k_totp_digits) &&
                              std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!is_well_formed || secret_bytes.empty())
    return std::nullopt;
  const std::int64_t current = totp_step(now);
  std::optional<std::int64_t> matched;
  for (std::int64_t step = current - 1; step <= current + 1; ++step) {
    if (step < 0)
      continue;
    // No early exit: the time taken does not tell which step matched. Should
    // two steps share a code, the newer wins, which guards replay better.
    if (crypto::constant_time_equal(totp_code(secret_bytes, step), code))
      matched = step;
  }
  return matched;
}

}  // namespace crm::auth
