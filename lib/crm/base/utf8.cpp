#include "crm/base/utf8.hpp"

#include <cstring>

namespace crm {

bool Utf8Validator::feed(const unsigned char* cursor, const unsigned char* end)
{
  while (cursor != end) {
    if (m_needed > 0) {
      const unsigned char continuation = *cursor++;
      if ((continuation & 0xC0) != 0x80)
        return false;
      m_code_point = (m_code_point << 6) | (continuation & 0x3F);
      if (--m_needed == 0 &&
          (m_code_point < m_smallest || m_code_point > 0x10FFFF || (m_code_point >= 0xD800 && m_code_point <= 0xDFFF)))
        return false;
      continue;
    }
    // ASCII runs, the common case, eight bytes at a time.
    while (end - cursor >= 8) {
      std::uint64_t word;
      std::memcpy(&word, cursor, sizeof word);
      if ((word & 0x8080808080808080ULL) != 0)
        break;
      cursor += 8;
    }
    if (cursor == end)
      break;
    const unsigned char lead = *cursor++;
    if (lead < 0x80)
      continue;
    if ((lead & 0xE0) == 0xC0) {
      m_needed = 1;
      m_code_point = lead & 0x1F;
      m_smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      m_needed = 2;
      m_code_point = lead & 0x0F;
      m_smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      m_needed = 3;
      m_code_point = lead & 0x07;
      m_smallest = 0x10000;
    } else {
      return false;
    }
  }
  return true;
}

bool is_valid_utf8(std::string_view text)
{
  Utf8Validator validator;
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  return validator.feed(begin, begin + text.size()) && validator.is_complete();
}

}  // namespace crm
