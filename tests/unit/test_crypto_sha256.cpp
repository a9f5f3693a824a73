#include "support/temp_dir.hpp"

#include <crm/base/atomic_file.hpp>
#include <crm/base/error.hpp>
#include <crm/crypto/sha256.hpp>

#include <catch2/catch.hpp>

#include <string>

using crm::crypto::Sha256;
using crm::crypto::sha256_hex;

TEST_CASE("sha256_hex matches the NIST vectors for \"abc\" and the empty string", "[crypto]")
{
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("Sha256 fed a million 'a' in uneven pieces gives the NIST digest", "[crypto]")
{
  Sha256 hash;
  const std::string block(997, 'a');
  std::size_t remaining = 1000000;
  std::size_t piece = 1;
  while (remaining > 0) {
    const std::size_t size = std::min({piece, remaining, block.size()});
    hash.update(std::string_view(block).substr(0, size));
    remaining -= size;
    piece = piece * 3 + 1;
  }
  CHECK(hash.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Sha256 refuses updates after its digest was taken", "[crypto]")
{
  Sha256 hash;
  hash.update("abc");
  CHECK(hash.hex_digest().size() == 64);
  CHECK_THROWS_AS(hash.update("more"), crm::Error);
  CHECK_THROWS_AS(hash.hex_digest(), crm::Error);
}

TEST_CASE("file_sha256 hashes a file's bytes, larger than one read", "[crypto]")
{
  crm::test::TempDir dir;
  const std::string content((3 << 20) + 5, 'x');
  crm::write_file_atomically(dir / "file", content);
  CHECK(crm::crypto::file_sha256(dir / "file") == sha256_hex(content));
  CHECK_THROWS_AS(crm::crypto::file_sha256(dir / "missing"), crm::Error);
}

TEST_CASE("is_sha256_hex wants 64 lowercase hex digits", "[crypto]")
{
  CHECK(crm::crypto::is_sha256_hex(sha256_hex("abc")));
  CHECK_FALSE(crm::crypto::is_sha256_hex(sha256_hex("abc").substr(1)));
  CHECK_FALSE(crm::crypto::is_sha256_hex(std::string(64, 'A')));
  CHECK_FALSE(crm::crypto::is_sha256_hex(""));
}
