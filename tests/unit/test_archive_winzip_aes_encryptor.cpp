#include <crm/archive/winzip_aes_encryptor.hpp>

#include <catch2/catch.hpp>

#include <string>

using crm::archive::WinZipAesEncryptor;

namespace {

const std::string k_salt = "0123456789abcdef";

std::string encrypt_in_pieces(std::string text, std::size_t piece, std::string& mac)
{
  WinZipAesEncryptor encryptor("correct horse battery", k_salt);
  for (std::size_t offset = 0; offset < text.size(); offset += piece)
    encryptor.encrypt(text.data() + offset, std::min(piece, text.size() - offset));
  mac = encryptor.authentication_code();
  return text;
}

}  // namespace

TEST_CASE("WinZipAesEncryptor key stream does not depend on how the data is cut", "[archive]")
{
  std::string text;
  for (int index = 0; index < 100'000; ++index)
    text += static_cast<char>(index * 31);
  std::string whole_mac;
  const std::string whole = encrypt_in_pieces(text, text.size(), whole_mac);
  CHECK(whole != text);
  CHECK(whole_mac.size() == 10);
  for (const std::size_t piece : {1, 7, 16, 17, 65536}) {
    INFO("pieces of " << piece);
    std::string mac;
    CHECK(encrypt_in_pieces(text, piece, mac) == whole);
    CHECK(mac == whole_mac);
  }
}

TEST_CASE("WinZipAesEncryptor starts the data with the salt and a 2-byte verifier", "[archive]")
{
  WinZipAesEncryptor encryptor("correct horse battery", k_salt);
  const std::string header = encryptor.header();
  CHECK(header.size() == 18);
  CHECK(header.substr(0, 16) == k_salt);
  WinZipAesEncryptor other("another passphrase", k_salt);
  CHECK(other.header() != header);
  CHECK_THROWS(WinZipAesEncryptor("x", "short salt"));
}
