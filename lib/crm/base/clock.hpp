#pragma once
// Time as the library sees it: whole seconds since the Unix epoch, UTC.
// Policy code (frequency limits, download window, retention, schedules) takes
// a Clock so tests can drive it; the binaries use the system clock, which
// end-to-end tests move with libfaketime.

#include <cstdint>
#include <string>
#include <string_view>

namespace crm {

using UnixTime = std::int64_t;

class Clock {
public:
  virtual ~Clock() = default;
  virtual UnixTime now() const = 0;
};

class SystemClock final : public Clock {
public:
  UnixTime now() const override;
};

class FixedClock final : public Clock {
public:
  explicit FixedClock(UnixTime now) : m_now(now) {}
  UnixTime now() const override { return m_now; }
  void set(UnixTime now) { m_now = now; }
  void advance(std::int64_t seconds) { m_now += seconds; }

private:
  UnixTime m_now;
};

// "2025-03-08T02:00:00Z"
std::string format_iso8601(UnixTime time);
// Accepts "YYYY-MM-DDTHH:MM:SSZ" (and "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD");
// throws Error(data) on anything else.
UnixTime parse_iso8601(std::string_view text);
// "2025-03-08 02:00 UTC", for messages.
std::string format_human(UnixTime time);

}  // namespace crm
