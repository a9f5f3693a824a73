#include <crm/store/hubspot/rate_budget.hpp>

#include <algorithm>
#include <thread>

namespace crm::store::hubspot {

namespace {

// HubSpot counts requests in a rolling window: sending exactly the limit
// evenly would touch it, and any jitter would cross it. A little under it,
// and a bucket of two (enough for the requests kept in flight), keeps every
// window below the limit.
constexpr double k_share_of_limit = 0.97;
constexpr double k_capacity = 2;

}  // namespace

RateBudget::RateBudget(int max_requests, std::chrono::milliseconds interval)
    : m_max(std::max(1, max_requests)), m_interval(interval), m_tokens(1), m_refilled_at(Clock::now())
{
}

void RateBudget::refill(Clock::time_point now)
{
  const double elapsed_ms = std::chrono::duration<double, std::milli>(now - m_refilled_at).count();
  m_tokens = std::min(k_capacity, m_tokens + elapsed_ms * per_millisecond());
  m_refilled_at = now;
}

void RateBudget::acquire()
{
  std::unique_lock lock(m_mutex);
  for (;;) {
    const auto now = Clock::now();
    if (now < m_held_until) {
      const auto until = m_held_until;
      lock.unlock();
      std::this_thread::sleep_until(until);
      lock.lock();
      continue;
    }
    refill(now);
    if (m_tokens >= 1) {
      m_tokens -= 1;
      return;
    }
    const auto wait = std::chrono::microseconds(static_cast<long long>((1 - m_tokens) / per_millisecond() * 1000) + 1);
    lock.unlock();
    std::this_thread::sleep_for(wait);
    lock.lock();
  }
}

void RateBudget::observe(int max_requests, int remaining, std::chrono::milliseconds interval)
{
  std::lock_guard lock(m_mutex);
  if (max_requests > 0)
    m_max = max_requests;
  if (interval.count() > 0)
    m_interval = interval;
  // The server's count is the truth: with few left in its window, spend no
  // more than it has until the window rolls on.
  if (remaining >= 0 && remaining < m_tokens)
    m_tokens = remaining;
}

void RateBudget::hold_until(Clock::time_point until)
{
  std::lock_guard lock(m_mutex);
  m_held_until = std::max(m_held_until, until);
  m_tokens = 0;
}

double RateBudget::per_millisecond() const
{
  return k_share_of_limit * static_cast<double>(m_max) / static_cast<double>(m_interval.count());
}

int RateBudget::max_requests() const
{
  std::lock_guard lock(m_mutex);
  return m_max;
}

}  // namespace crm::store::hubspot
