#pragma once
// ASCII lowercasing, for what is ASCII by definition: HTTP header names, hex
// digits, the words of a cadence, object names. Not locale-dependent: bytes
// outside 'A'-'Z' (UTF-8 included) pass through unchanged.

#include <string>
#include <string_view>

namespace crm {

std::string lowercase(std::string_view text);

}  // namespace crm
