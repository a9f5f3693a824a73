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

std::string shown_value(std::string_view value, std::size_t max_bytes)
{
  if (value.empty())
    return "(empty)";
  std::size_t cut = std::min(value.size(), max_bytes);
  while (cut > 0 && cut < value.size() && (static_cast<unsigned char>(value[cut]) & 0xc0) == 0x80)
    --cut;  // not inside a UTF-8 sequence
  return fmt::format("\"{}\"{}", without_control_characters(value.substr(0, cut), cut),
                     cut < value.size() ? "..." : "");
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
