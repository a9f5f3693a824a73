#include "crm/crypto/random.hpp"

#include <crm/base/error.hpp>

#include <openssl/rand.h>

#include <algorithm>

namespace crm::crypto {

std::string random_bytes(std::size_t count)
{
  std::string bytes(count, '\0');
  constexpr std::size_t k_chunk_bytes = 1 << 20;  // RAND_bytes takes an int
  for (std::size_t offset = 0; offset < count; offset += k_chunk_bytes) {
    const std::size_t chunk = std::min(k_chunk_bytes, count - offset);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data() + offset), static_cast<int>(chunk)) != 1)
      throw Error(ErrorKind::unavailable, "the system's random number generator is unavailable",
                  "check that /dev/urandom works");
  }
  return bytes;
}

}  // namespace crm::crypto
