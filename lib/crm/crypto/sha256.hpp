#pragma once
// SHA-256 (OpenSSL libcrypto): incremental, of a text, of a file.

#include <filesystem>
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

// SHA-256 (lowercase hex) of a file's bytes, read in bounded chunks.
std::string file_sha256(const std::filesystem::path& path);

// True for 64 lowercase hex digits: a SHA-256 as this tool writes it.
bool is_sha256_hex(std::string_view text);

}  // namespace crm::crypto
