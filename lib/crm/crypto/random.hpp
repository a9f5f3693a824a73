#pragma once
// Secure random bytes (OpenSSL libcrypto, seeded by the operating system).

#include <cstddef>
#include <string>

namespace crm::crypto {

// `count` bytes from the operating system's CSPRNG. Error(unavailable) when
// it cannot give them.
std::string random_bytes(std::size_t count);

}  // namespace crm::crypto
