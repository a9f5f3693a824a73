#include "crm/crypto/sha256.hpp"

#include <crm/base/error.hpp>
#include <crm/base/file_read.hpp>
#include <crm/base/hex.hpp>

#include <fmt/format.h>
#include <openssl/evp.h>

namespace crm::crypto {

struct Sha256::State {
  EVP_MD_CTX* context = nullptr;
  bool is_finished = false;

  ~State() { EVP_MD_CTX_free(context); }
};

// libcrypto fails here only when it cannot allocate or its provider is
// missing: nothing the user can fix but the installation.
[[noreturn]] static void fail(const char* action)
{
  throw Error(ErrorKind::internal, fmt::format("cannot {} a SHA-256 digest", action), "check the OpenSSL installation");
}

Sha256::Sha256() : m_state(std::make_unique<State>())
{
  m_state->context = EVP_MD_CTX_new();
  if (m_state->context == nullptr || EVP_DigestInit_ex(m_state->context, EVP_sha256(), nullptr) != 1)
    fail("start");
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view data)
{
  if (m_state->is_finished)
    throw Error(ErrorKind::internal, "SHA-256 updated after its digest was taken");
  if (!data.empty() && EVP_DigestUpdate(m_state->context, data.data(), data.size()) != 1)
    fail("update");
}

std::string Sha256::hex_digest()
{
  if (m_state->is_finished)
    throw Error(ErrorKind::internal, "SHA-256 digest taken twice");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(m_state->context, digest, &length) != 1)
    fail("finish");
  m_state->is_finished = true;
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string sha256_hex(std::string_view data)
{
  Sha256 hash;
  hash.update(data);
  return hash.hex_digest();
}

std::string file_sha256(const std::filesystem::path& path)
{
  Sha256 hash;
  read_file_chunks(path, [&](std::string_view chunk) { hash.update(chunk); });
  return hash.hex_digest();
}

bool is_sha256_hex(std::string_view text) { return text.size() == 64 && is_lower_hex(text); }

}  // namespace crm::crypto
