#pragma once
// HMAC (OpenSSL libcrypto), constant-time comparison and secure random bytes.

#include <string>
#include <string_view>

namespace crm::crypto {

enum class Digest { sha1, sha256 };

// The raw MAC bytes.
std::string hmac(Digest digest, std::string_view key, std::string_view message);
// True when `a` equals `b`, in time that depends only on their sizes.
bool constant_time_equal(std::string_view a, std::string_view b);
// `count` bytes from the operating system's CSPRNG.
std::string random_bytes(std::size_t count);
std::string to_hex(std::string_view bytes);

}  // namespace crm::crypto
