#pragma once
// The SHA-256 that Repository::download() runs over the bytes it copies, to
// compare with the catalog. The catalog sits on base and sql only, so the
// caller supplies the hash: Repository::download<crm::crypto::Sha256>(...)
// adapts any class with update(std::string_view) and hex_digest().

#include <string>
#include <string_view>

namespace crm::catalog {

class ContentDigest {
public:
  virtual ~ContentDigest() = default;
  virtual void update(std::string_view data) = 0;
  // Lowercase hex of the digest of everything passed to update().
  virtual std::string hex_digest() = 0;
};

template <typename Hash> class ContentDigestOf final : public ContentDigest {
public:
  void update(std::string_view data) override { m_hash.update(data); }
  std::string hex_digest() override { return m_hash.hex_digest(); }

private:
  Hash m_hash;
};

}  // namespace crm::catalog
