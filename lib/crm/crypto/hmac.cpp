#include <crm/base/error.hpp>
#include <crm/crypto/hmac.hpp>

#include <algorithm>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace crm::crypto {

std::string hmac(Digest digest, std::string_view key, std::string_view message)
{
  const EVP_MD* algorithm = digest == Digest::sha1 ? EVP_sha1() : EVP_sha256();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // HMAC() wants a non-null key pointer even for an empty key.
  static const unsigned char k_empty = 0;
  const void* key_bytes = key.empty() ? static_cast<const void*>(&k_empty) : key.data();
  const auto* message_bytes = reinterpret_cast<const unsigned char*>(message.empty() ? "" : message.data());
  if (HMAC(algorithm, key_bytes, static_cast<int>(key.size()), message_bytes, message.size(), mac, &length) ==
      nullptr)
    throw Error(ErrorKind::internal, "cannot compute an HMAC", "check the OpenSSL installation");
  return std::string(reinterpret_cast<const char*>(mac), length);
}

bool constant_time_equal(std::string_view a, std::string_view b)
{
  if (a.size() != b.size())
    return false;
  if (a.empty())
    return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

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

std::string to_hex(std::string_view bytes)
{
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string hex(bytes.size() * 2, '\0');
  for (std::size_t index = 0; index < bytes.size(); ++index) {
    const auto byte = static_cast<unsigned char>(bytes[index]);
    hex[2 * index] = k_digits[byte >> 4];
    hex[2 * index + 1] = k_digits[byte & 0x0F];
  }
  return hex;
}

}  // namespace crm::crypto
