#pragma once
// Paces requests to HubSpot's rate limits (docs/hubspot.md). HubSpot counts
// a token's requests in a rolling window (190 per 10 s on Professional): this
// keeps the same window on our side and sends while it holds fewer than a
// little under the limit. A request stays in our window from its send until
// one interval after its answer: HubSpot counted it somewhere in between, so
// our window never forgets a request before HubSpot's does, however the
// latency varies. Started from the configured plan tier, corrected by the
// X-HubSpot-RateLimit-* headers of each answer (other apps' requests on the
// account count too). A 429 holds every request until the time it names.
// Shared by every thread that sends requests on one token.
//
// Background requests (pages fetched ahead of the backup) take only what the
// foreground leaves: while a foreground chain of requests runs (one request
// after another, at its round trip), a background request is sent only if
// the window, with the chain's requests of the next interval added at that
// pace, stays within the limit at every instant. A burst of background pages
// cannot stall the chain that bounds the run (docs/performance.md, "HubSpot
// backup").

#include <chrono>
#include <deque>
#include <mutex>
#include <utility>

namespace crm::store::hubspot {

class RateBudget {
public:
  using Clock = std::chrono::steady_clock;

  enum class Priority { foreground, background };

  // One request's place in the window: held while the request is out; its
  // end (the answer, or the failure) starts the interval after which the
  // window forgets it.
  class [[nodiscard]] Ticket {
  public:
    Ticket() = default;  // no place
    Ticket(RateBudget& budget, Priority priority) : m_budget(&budget), m_priority(priority), m_sent(Clock::now()) {}
    Ticket(Ticket&& other) noexcept { *this = std::move(other); }
    Ticket& operator=(Ticket&& other) noexcept
    {
      if (this != &other) {
        release();
        m_budget = std::exchange(other.m_budget, nullptr);
        m_priority = other.m_priority;
        m_sent = other.m_sent;
      }
      return *this;
    }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { release(); }

    // The request has been answered (or has failed): as the destructor does.
    void release()
    {
      if (m_budget)
        std::exchange(m_budget, nullptr)->answered(m_priority, m_sent);
    }

  private:
    RateBudget* m_budget = nullptr;
    Priority m_priority = Priority::foreground;
    Clock::time_point m_sent;
  };

  RateBudget(int max_requests, std::chrono::milliseconds interval);

  // Blocks until one more request fits the window, then takes its place.
  Ticket acquire(Priority priority = Priority::foreground);
  // What an answer's headers say: the limit, and how much of it is left in
  // the server's window (-1 when a header was absent).
  void observe(int max_requests, int remaining, std::chrono::milliseconds interval);
  // No request before `until` (a 429's Retry-After or backoff).
  void hold_until(Clock::time_point until);

  int max_requests() const;

private:
  void answered(Priority priority, Clock::time_point sent);
  void forget_before(Clock::time_point now);  // drops answers older than the window
  std::size_t allowance() const;              // requests the window may hold
  // The most the window will hold over the next interval if a foreground
  // chain keeps sending at its pace and nothing else is sent.
  double peak_with_foreground(Clock::time_point now) const;
  std::size_t held() const { return m_answered.size() + m_in_flight; }

  mutable std::mutex m_mutex;
  int m_max;
  std::chrono::milliseconds m_interval;
  std::deque<Clock::time_point> m_answered;  // oldest first; also stands for others' requests
  std::size_t m_in_flight = 0;
  std::size_t m_foreground_in_flight = 0;
  Clock::time_point m_foreground_answered;     // the last foreground answer
  Clock::duration m_foreground_round_trip{0};  // a moving average
  Clock::time_point m_held_until;
};

}  // namespace crm::store::hubspot
