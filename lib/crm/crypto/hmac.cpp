#include "crm/crypto/hmac.hpp"

#include <crm/base/error.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

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
  if (HMAC(algorithm, key_bytes, static_cast<int>(key.size()), message_bytes, message.size(), mac, &length) == nullptr)
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

}  // namespace crm::crypto
