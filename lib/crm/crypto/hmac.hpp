#pragma once
// HMAC (OpenSSL libcrypto) and the constant-time comparison its checks need.

#include <string>
#include <string_view>

namespace crm::crypto {

enum class Digest { sha1, sha256 };

// The raw MAC bytes.
std::string hmac(Digest digest, std::string_view key, std::string_view message);
// True when `a` equals `b`, in time that depends only on their sizes.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace crm::crypto
