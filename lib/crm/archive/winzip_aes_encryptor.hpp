#pragma once
// Encrypts one zip entry's data the WinZip AES way (AE-2, AES-256), which
// 7-Zip, bsdtar and WinZip open:
//   keys      PBKDF2-HMAC-SHA1(passphrase, 16-byte salt, 1000 iterations)
//             gives 66 bytes: the AES key, the HMAC key, a 2-byte verifier;
//   data      salt, verifier, then the compressed bytes in AES-256-CTR with
//             WinZip's counter (a little-endian block number starting at 1,
//             not the big-endian counter of NIST CTR), then
//   MAC       the first 10 bytes of HMAC-SHA1 over the ciphertext.
// The salt is fresh for every entry, so no two entries share a key stream.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace crm::archive {

class WinZipAesEncryptor {
public:
  static constexpr std::size_t k_salt_bytes = 16;
  static constexpr std::size_t k_verifier_bytes = 2;
  static constexpr std::size_t k_mac_bytes = 10;
  // What encryption adds to an entry's stored size.
  static constexpr std::size_t k_overhead_bytes = k_salt_bytes + k_verifier_bytes + k_mac_bytes;

  WinZipAesEncryptor(std::string_view passphrase, std::string_view salt);
  ~WinZipAesEncryptor();
  WinZipAesEncryptor(const WinZipAesEncryptor&) = delete;
  WinZipAesEncryptor& operator=(const WinZipAesEncryptor&) = delete;

  // Salt and password verifier: the first bytes of the entry's data.
  std::string header() const;
  // Encrypts the next `size` bytes of the entry in place.
  void encrypt(char* data, std::size_t size);
  // The 10-byte authentication code: the last bytes of the entry's data.
  std::string authentication_code();

private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace crm::archive
