#pragma once
// Lowercase hexadecimal: what digests and temporary-file suffixes are written in.

#include <string>
#include <string_view>

namespace crm {

// Two lowercase digits per byte.
std::string to_hex(std::string_view bytes);

// True when every character of `text` is 0-9 or a-f (an empty text too).
bool is_lower_hex(std::string_view text);

}  // namespace crm
