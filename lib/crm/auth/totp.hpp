#pragma once
// RFC 6238 time-based one-time passwords as authenticator apps make them:
// HMAC-SHA1, 30-second steps counted from the Unix epoch, 6 digits, and a
// code accepted for the step before and after the current one (clock skew).
// The matched step is returned so the caller can refuse a code used before
// (catalog::Journal::use_totp_step).

#include <crm/base/clock.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crm::auth {

constexpr std::int64_t k_totp_step_seconds = 30;
constexpr int k_totp_digits = 6;

// The step `time` falls in: floor(time / 30).
std::int64_t totp_step(UnixTime time);

// The code for `step` (RFC 4226 dynamic truncation), zero-padded to `digits`
// (1..9). `secret_bytes` are the raw key bytes, not base32.
std::string totp_code(std::string_view secret_bytes, std::int64_t step, int digits = k_totp_digits);

// The step, among the one `now` falls in and its two neighbours, whose code
// equals `code`; std::nullopt when none does, when `code` is not exactly six
// ASCII digits or when the secret is empty. Every candidate is compared in
// constant time, and all three are always computed.
std::optional<std::int64_t> match_totp(std::string_view secret_bytes, std::string_view code, UnixTime now);

}  // namespace crm::auth
