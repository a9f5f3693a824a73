#pragma once
// Progress is a callback: the library reports, the front end decides whether
// to draw (only when stderr is a terminal).

#include <cstdint>
#include <functional>
#include <string_view>

namespace crm {

struct Progress {
  std::string_view stage;           // "contacts", "verify", ...
  std::int64_t done = 0;            // records (or items) done in this run
  std::int64_t total = 0;           // 0 when unknown
  std::int64_t bytes = 0;           // raw bytes (CSV) produced or read so far
  std::int64_t requests = -1;       // API requests sent so far; -1 for a store that is no API
  std::int64_t archive_bytes = -1;  // compressed bytes written to the archive so far; -1: none
};

using ProgressFn = std::function<void(const Progress&)>;

}  // namespace crm
