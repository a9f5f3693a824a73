#include "crm/store/hubspot/rate_budget.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

namespace crm::store::hubspot {

namespace {

// Our window holds every request HubSpot's holds, so it could be filled to
// the limit; 1 % (at least one request) is kept spare for another app's
// request that HubSpot counts before its headers tell us.
constexpr double k_share_of_limit = 0.99;

}  // namespace

RateBudget::RateBudget(int max_requests, std::chrono::milliseconds interval)
    : m_max(std::max(1, max_requests)), m_interval(interval)
{
}

std::size_t RateBudget::allowance() const
{
  const auto share = static_cast<std::size_t>(std::floor(k_share_of_limit * m_max));
  return std::clamp<std::size_t>(share, 1, static_cast<std::size_t>(std::max(1, m_max - 1)));
}

void RateBudget::forget_before(Clock::time_point now)
{
  while (!m_answered.empty() && m_answered.front() <= now - m_interval)
    m_answered.pop_front();
}

double RateBudget::peak_with_foreground(Clock::time_point now) const
{
  // A chain is running while a request of it is out or was answered a moment
  // ago (its next one is about to be sent).
  const bool is_running = m_foreground_round_trip.count() > 0 &&
                          (m_foreground_in_flight > 0 || now - m_foreground_answered < 2 * m_foreground_round_trip);
  if (!is_running)
    return static_cast<double>(held());
  const auto chain_sends_by = [&](Clock::duration later) {
    return later / std::chrono::duration<double>(m_foreground_round_trip);
  };
  // The window's count is highest just before one of its answers leaves it:
  // that one and the newer ones are still in, plus what the chain sent by then.
  double peak = std::max(static_cast<double>(held()), static_cast<double>(m_in_flight) + chain_sends_by(m_interval));
  for (std::size_t index = 0; index < m_answered.size(); ++index) {
    const double still_in = static_cast<double>(m_in_flight + m_answered.size() - index);
    peak = std::max(peak, still_in + chain_sends_by(m_answered[index] + m_interval - now));
  }
  return peak;
}

RateBudget::Ticket RateBudget::acquire(Priority priority)
{
  // Sleeps, not condition variables: libfaketime, which the end-to-end tests
  // use to move the clock, handles sleeps but not timed waits on the
  // monotonic clock.
  constexpr Clock::duration k_poll = std::chrono::milliseconds(5);
  std::unique_lock lock(m_mutex);
  for (;;) {
    const auto now = Clock::now();
    Clock::duration wait{};
    if (now < m_held_until) {
      wait = m_held_until - now;
    } else {
      forget_before(now);
      const bool is_room = held() < allowance();
      const bool is_kept =
          priority == Priority::background && peak_with_foreground(now) + 1 > static_cast<double>(allowance());
      if (is_room && !is_kept) {
        ++m_in_flight;
        if (priority == Priority::foreground)
          ++m_foreground_in_flight;
        return Ticket(*this, priority);
      }
      if (is_room)  // the room left is the foreground chain's: look again soon
        wait = std::max(k_poll, m_foreground_round_trip / 4);
      else if (m_answered.empty())  // every place is a request still out
        wait = k_poll;
      else  // the oldest answer leaves the window first
        wait = m_answered.front() + m_interval - now;
    }
    lock.unlock();
    std::this_thread::sleep_for(wait);
    lock.lock();
  }
}

void RateBudget::answered(Priority priority, Clock::time_point sent)
{
  std::lock_guard lock(m_mutex);
  const auto now = Clock::now();
  --m_in_flight;
  m_answered.push_back(now);
  if (priority == Priority::foreground) {
    --m_foreground_in_flight;
    m_foreground_answered = now;
    const auto round_trip = now - sent;
    m_foreground_round_trip =
        m_foreground_round_trip.count() == 0 ? round_trip : (m_foreground_round_trip * 7 + round_trip) / 8;
  }
}

void RateBudget::observe(int max_requests, int remaining, std::chrono::milliseconds interval)
{
  std::lock_guard lock(m_mutex);
  if (max_requests > 0)
    m_max = max_requests;
  if (interval.count() > 0)
    m_interval = interval;
  if (remaining < 0)
    return;
  // The server's count is the truth. It has seen no more than we hold, so a
  // larger count is other apps' requests on the same account: count them as
  // answered now (they leave our window no earlier than HubSpot's).
  const auto now = Clock::now();
  forget_before(now);
  const auto server_count = static_cast<std::size_t>(std::max(0, m_max - remaining));
  while (held() < server_count)
    m_answered.push_back(now);
}

void RateBudget::hold_until(Clock::time_point until)
{
  std::lock_guard lock(m_mutex);
  m_held_until = std::max(m_held_until, until);
}

int RateBudget::max_requests() const
{
  std::lock_guard lock(m_mutex);
  return m_max;
}

}  // namespace crm::store::hubspot
