#pragma once
// Untrusted text (names and values from archives, exports, catalogs and APIs)
// as it may appear in our output (SPEC §8): no terminal escape sequences, no
// line breaks that would split the one stderr line, no megabyte values.

#include <cstddef>
#include <string>
#include <string_view>

namespace crm {

inline constexpr std::size_t k_max_printed_bytes = 120;

// `text` with every byte outside printable ASCII, and '"' and '\', written as
// \xNN, cut after `max_bytes` input bytes with "..." appended.
std::string printable(std::string_view text, std::size_t max_bytes = k_max_printed_bytes);

// `text` with its control characters (bytes below 0x20, and 0x7f) written
// as \xNN and everything else as it is, cut after `max_bytes`: the last
// guard on the one stderr line, which must stay one line and not reach the
// terminal's escape sequences whatever a message quotes.
std::string without_control_characters(std::string_view text, std::size_t max_bytes = 4096);

// A CRM value as a person reads it in a listing (diff --show-values,
// crm-restore show): "(empty)", or the value in double quotes with its
// control characters escaped, cut at a character boundary after about
// `max_bytes` with "..." appended. UTF-8 stays as it is: "São Paulo".
std::string shown_value(std::string_view value, std::size_t max_bytes = 60);

}  // namespace crm
