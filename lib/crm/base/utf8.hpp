#pragma once
// UTF-8 as RFC 3629 has it: no overlong forms, no surrogates, nothing above
// U+10FFFF. Shared by the CSV reader and the plan reader's fast path.

#include <cstdint>
#include <string_view>

namespace crm {

// Checks bytes that may arrive in pieces (a sequence may be split between
// two calls). ASCII runs, the common case, are checked eight bytes at a time.
class Utf8Validator {
public:
  // False at the first byte that cannot be there.
  bool feed(const unsigned char* cursor, const unsigned char* end);
  // True when no sequence is left cut short.
  bool is_complete() const { return m_needed == 0; }

private:
  int m_needed = 0;                // continuation bytes still due
  std::uint32_t m_code_point = 0;  // of the sequence being read
  std::uint32_t m_smallest = 0;    // the least code point its length may encode
};

bool is_valid_utf8(std::string_view text);

}  // namespace crm
