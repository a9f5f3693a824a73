#include "crm/base/hex.hpp"

namespace crm {

std::string to_hex(std::string_view bytes)
{
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string hex(bytes.size() * 2, '\0');
  for (std::size_t index = 0; index < bytes.size(); ++index) {
    const auto byte = static_cast<unsigned char>(bytes[index]);
    hex[2 * index] = k_digits[byte >> 4];
    hex[2 * index + 1] = k_digits[byte & 0x0F];
  }
  return hex;
}

bool is_lower_hex(std::string_view text)
{
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  return true;
}

}  // namespace crm
