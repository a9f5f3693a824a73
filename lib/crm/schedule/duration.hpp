#pragma once
// Durations as people type them for monitoring thresholds: `36h`, `8d`,
// `90m`, `2w`, or several parts run together (`1d12h`). Units: s, m, h, d, w.

#include <cstdint>
#include <string>
#include <string_view>

namespace crm::schedule {

// Seconds in `text`. Throws Error(usage) for anything that is not one or more
// <number><unit> parts, or for a zero or absurdly long duration.
std::int64_t parse_duration(std::string_view text);

// The largest two units, for messages: "3d 4h", "5h 12m", "42s".
std::string format_duration(std::int64_t seconds);

}  // namespace crm::schedule
