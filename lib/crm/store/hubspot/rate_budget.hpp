#pragma once
// Paces requests to HubSpot's rate limits (docs/hubspot.md): a token bucket
// refilled evenly at a little under `max` requests per interval, started from the
// configured plan tier and corrected by the X-HubSpot-RateLimit-* headers of
// each answer. A 429 holds every request until the time it names. Shared by
// every thread that sends requests on one token.

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace crm::store::hubspot {

class RateBudget {
public:
  using Clock = std::chrono::steady_clock;

  RateBudget(int max_requests, std::chrono::milliseconds interval);

  // Blocks until one more request fits the budget, then takes it.
  void acquire();
  // What an answer's headers say: the limit, and how much of it is left in
  // the server's window (-1 when a header was absent).
  void observe(int max_requests, int remaining, std::chrono::milliseconds interval);
  // No request before `until` (a 429's Retry-After or backoff).
  void hold_until(Clock::time_point until);

  int max_requests() const;

private:
  void refill(Clock::time_point now);
  double per_millisecond() const;  // the refill rate

  mutable std::mutex m_mutex;
  int m_max;
  std::chrono::milliseconds m_interval;
  double m_tokens;
  Clock::time_point m_refilled_at;
  Clock::time_point m_held_until;
};

}  // namespace crm::store::hubspot
