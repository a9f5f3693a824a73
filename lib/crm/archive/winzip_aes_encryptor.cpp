// AES-CTR by hand over AES-256-ECB: OpenSSL's CTR mode increments a
// big-endian counter, WinZip's is little-endian, so we lay out the counter
// blocks ourselves (a batch at a time, which AES-NI encrypts in a pipeline)
// and XOR their encryption into the data.

#include "crm/archive/winzip_aes_encryptor.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <vector>

namespace crm::archive {
namespace {

constexpr int k_pbkdf2_iterations = 1000;
constexpr std::size_t k_key_bytes = 32;  // AES-256
constexpr std::size_t k_block_bytes = 16;
constexpr std::size_t k_batch_blocks = 4096;  // 64 KiB of key stream per ECB call

[[noreturn]] void fail(const char* action)
{
  throw Error(ErrorKind::internal, fmt::format("cannot {} for WinZip AES encryption", action),
              "check the OpenSSL installation");
}

}  // namespace

struct WinZipAesEncryptor::State {
  std::string salt;
  std::array<unsigned char, 2 * k_key_bytes + k_verifier_bytes> keys{};
  EVP_CIPHER_CTX* cipher = nullptr;
  EVP_MAC* mac_algorithm = nullptr;
  EVP_MAC_CTX* mac = nullptr;
  std::uint64_t next_block = 1;  // WinZip's counter starts at 1
  // Key stream left over from the last call, when it ended inside a block.
  std::array<unsigned char, k_block_bytes> leftover{};
  std::size_t leftover_used = k_block_bytes;
  std::vector<unsigned char> counters = std::vector<unsigned char>(k_batch_blocks * k_block_bytes);
  std::vector<unsigned char> stream = std::vector<unsigned char>(k_batch_blocks * k_block_bytes + k_block_bytes);

  ~State()
  {
    EVP_CIPHER_CTX_free(cipher);
    EVP_MAC_CTX_free(mac);
    EVP_MAC_free(mac_algorithm);
    OPENSSL_cleanse(keys.data(), keys.size());
  }

  // Key stream for `blocks` counter blocks from next_block on, into `stream`.
  void make_key_stream(std::size_t blocks)
  {
    for (std::size_t index = 0; index < blocks; ++index) {
      unsigned char* counter = counters.data() + index * k_block_bytes;
      std::uint64_t value = next_block + index;
      for (std::size_t byte = 0; byte < 8; ++byte, value >>= 8)
        counter[byte] = static_cast<unsigned char>(value & 0xff);
      std::fill(counter + 8, counter + k_block_bytes, 0);
    }
    next_block += blocks;
    int produced = 0;
    if (EVP_EncryptUpdate(cipher, stream.data(), &produced, counters.data(),
                          static_cast<int>(blocks * k_block_bytes)) != 1 ||
        produced != static_cast<int>(blocks * k_block_bytes))
      fail("encrypt");
  }
};

WinZipAesEncryptor::WinZipAesEncryptor(std::string_view passphrase, std::string_view salt)
    : m_state(std::make_unique<State>())
{
  State& state = *m_state;
  if (salt.size() != k_salt_bytes)
    throw Error(ErrorKind::internal, "a WinZip AES-256 salt has 16 bytes");
  state.salt.assign(salt);
  if (PKCS5_PBKDF2_HMAC_SHA1(passphrase.data(), static_cast<int>(passphrase.size()),
                             reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                             k_pbkdf2_iterations, static_cast<int>(state.keys.size()), state.keys.data()) != 1)
    fail("derive the keys");

  state.cipher = EVP_CIPHER_CTX_new();
  if (state.cipher == nullptr ||
      EVP_EncryptInit_ex(state.cipher, EVP_aes_256_ecb(), nullptr, state.keys.data(), nullptr) != 1)
    fail("start AES-256");
  EVP_CIPHER_CTX_set_padding(state.cipher, 0);

  state.mac_algorithm = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  state.mac = state.mac_algorithm != nullptr ? EVP_MAC_CTX_new(state.mac_algorithm) : nullptr;
  char digest_name[] = "SHA1";
  const OSSL_PARAM parameters[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                   OSSL_PARAM_construct_end()};
  if (state.mac == nullptr || EVP_MAC_init(state.mac, state.keys.data() + k_key_bytes, k_key_bytes, parameters) != 1)
    fail("start HMAC-SHA1");
}

WinZipAesEncryptor::~WinZipAesEncryptor() = default;

std::string WinZipAesEncryptor::header() const
{
  const State& state = *m_state;
  return state.salt + std::string(reinterpret_cast<const char*>(state.keys.data() + 2 * k_key_bytes), k_verifier_bytes);
}

void WinZipAesEncryptor::encrypt(char* data, std::size_t size)
{
  State& state = *m_state;
  auto* bytes = reinterpret_cast<unsigned char*>(data);
  const std::size_t total = size;
  // Finish the key stream block a previous call started.
  while (size > 0 && state.leftover_used < k_block_bytes) {
    *bytes++ ^= state.leftover[state.leftover_used++];
    --size;
  }
  while (size > 0) {
    const std::size_t blocks = std::min(k_batch_blocks, (size + k_block_bytes - 1) / k_block_bytes);
    state.make_key_stream(blocks);
    const std::size_t used = std::min(size, blocks * k_block_bytes);
    for (std::size_t index = 0; index < used; ++index)
      bytes[index] ^= state.stream[index];
    if (used < blocks * k_block_bytes) {  // the last block is partly used: keep its rest
      const std::size_t last_block = (blocks - 1) * k_block_bytes;
      std::copy_n(state.stream.data() + last_block, k_block_bytes, state.leftover.data());
      state.leftover_used = used - last_block;
    }
    bytes += used;
    size -= used;
  }
  if (total > 0 && EVP_MAC_update(state.mac, reinterpret_cast<const unsigned char*>(data), total) != 1)
    fail("authenticate");
}

std::string WinZipAesEncryptor::authentication_code()
{
  State& state = *m_state;
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (EVP_MAC_final(state.mac, mac, &length, sizeof mac) != 1 || length < k_mac_bytes)
    fail("finish HMAC-SHA1");
  return std::string(reinterpret_cast<const char*>(mac), k_mac_bytes);
}

}  // namespace crm::archive
