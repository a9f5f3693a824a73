#pragma once
// Finding the bytes that matter to CSV (',' '"' CR LF), shared by the writer
// (does a field need quotes?) and the reader (where does an unquoted field
// end?). Both are hot paths, so the scan reads eight bytes at a time: a word
// is checked for each special byte with the "has a zero byte" bit trick on
// the word XORed with that byte repeated, and only a word that holds one is
// looked at byte by byte.

#include <cstdint>
#include <cstring>

namespace crm::csv::detail {

// The first special byte in [begin, end), or end when there is none.
inline const char* find_special_byte(const char* begin, const char* end)
{
  constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
  constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
  const auto has_byte = [](std::uint64_t word, unsigned char byte) {
    const std::uint64_t masked = word ^ (k_ones * byte);
    return (masked - k_ones) & ~masked & k_highs;
  };
  const char* cursor = begin;
  while (end - cursor >= 8) {
    std::uint64_t word;
    std::memcpy(&word, cursor, sizeof word);
    if (has_byte(word, ',') | has_byte(word, '"') | has_byte(word, '\r') | has_byte(word, '\n'))
      break;
    cursor += 8;
  }
  while (cursor != end && *cursor != ',' && *cursor != '"' && *cursor != '\r' && *cursor != '\n')
    ++cursor;
  return cursor;
}

}  // namespace crm::csv::detail
