#include "crm/base/printable.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace crm {

std::string printable(std::string_view text, std::size_t max_bytes)
{
  std::string shown;
  shown.reserve(std::min(text.size(), max_bytes) + 3);
  for (const char c : text.substr(0, max_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\')
      shown += c;
    else
      shown += fmt::format("\\x{:02x}", byte);
  }
  if (text.size() > max_bytes)
    shown += "...";
  return shown;
}

std::string without_control_characters(std::string_view text, std::size_t max_bytes)
{
  std::string shown;
  shown.reserve(std::min(text.size(), max_bytes) + 3);
  for (const char c : text.substr(0, max_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
      shown += fmt::format("\\x{:02x}", byte);
    else
      shown += c;
  }
  if (text.size() > max_bytes)
    shown += "...";
  return shown;
}

}  // namespace crm
