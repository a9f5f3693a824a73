#pragma once
// Incremental SHA-256 (OpenSSL libcrypto).

#include <memory>
#include <string>
#include <string_view>

namespace crm::crypto {

class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  // Lowercase hex of the digest; the object cannot be updated afterwards.
  std::string hex_digest();

private:
  struct State;
  std::unique_ptr<State> m_state;
};

std::string sha256_hex(std::string_view data);

}  // namespace crm::crypto
