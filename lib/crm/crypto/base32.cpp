#include "crm/crypto/base32.hpp"

#include <cstdint>

namespace crm::crypto {

namespace {

constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// 0..31 for a base32 digit of either case, -1 otherwise.
int digit_value(char character)
{
  if (character >= 'A' && character <= 'Z')
    return character - 'A';
  if (character >= 'a' && character <= 'z')
    return character - 'a';
  if (character >= '2' && character <= '7')
    return character - '2' + 26;
  return -1;
}

}  // namespace

std::string base32_encode(std::string_view bytes)
{
  std::string text;
  text.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (const char byte : bytes) {
    bits = (bits << 8) | static_cast<unsigned char>(byte);
    bit_count += 8;
    while (bit_count >= 5) {
      bit_count -= 5;
      text.push_back(k_alphabet[(bits >> bit_count) & 0x1F]);
    }
  }
  if (bit_count > 0)
    text.push_back(k_alphabet[(bits << (5 - bit_count)) & 0x1F]);
  return text;
}

std::optional<std::string> base32_decode(std::string_view text)
{
  std::string bytes;
  bytes.reserve(text.size() * 5 / 8);
  std::uint32_t bits = 0;
  int bit_count = 0;
  std::size_t digit_count = 0;
  std::size_t padding_count = 0;
  for (const char character : text) {
    if (character == ' ')
      continue;
    if (character == '=') {
      ++padding_count;
      continue;
    }
    const int value = digit_value(character);
    if (value < 0 || padding_count > 0)
      return std::nullopt;
    ++digit_count;
    bits = (bits << 5) | static_cast<std::uint32_t>(value);
    bit_count += 5;
    if (bit_count >= 8) {
      bit_count -= 8;
      bytes.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
    }
  }
  // A final group of 8 digits encodes 5 bytes; partial groups of 2, 4, 5 or
  // 7 digits encode 1 to 4 bytes. 1, 3 or 6 digits cannot come from bytes.
  const std::size_t partial = digit_count % 8;
  if (partial == 1 || partial == 3 || partial == 6)
    return std::nullopt;
  if (padding_count > 0 && (partial == 0 || (digit_count + padding_count) % 8 != 0))
    return std::nullopt;
  return bytes;
}

}  // namespace crm::crypto
