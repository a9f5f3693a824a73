// The pacing of HubSpot requests: a rolling window like HubSpot's, a little
// under the limit, that other apps' requests (seen in the headers) and a 429
// shrink; a request holds its place from its send until one interval after
// its answer. Only lower bounds on waits are checked: a slow machine may wait
// longer, never shorter.

#include <crm/store/hubspot/rate_budget.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using crm::store::hubspot::RateBudget;
using namespace std::chrono_literals;

namespace {

// How long `count` acquisitions take.
RateBudget::Clock::duration time_of(RateBudget& budget, int count)
{
  const auto start = RateBudget::Clock::now();
  for (int i = 0; i < count; ++i)
    (void)budget.acquire();  // answered at once
  return RateBudget::Clock::now() - start;
}

}  // namespace

TEST_CASE("rate budget: a window's worth at once, one short of the limit, then the window rolls on", "[store]")
{
  RateBudget budget(100, 400ms);
  // 99 of 100 at once: the rolling window allows a burst, as HubSpot's does.
  CHECK(time_of(budget, 99) < 300ms);
  // The 100th waits until the first has left the window.
  CHECK(time_of(budget, 1) >= 300ms);
}

TEST_CASE("rate budget: requests of other apps counted by HubSpot leave less for us", "[store]")
{
  RateBudget budget(100, 400ms);
  (void)budget.acquire();
  // HubSpot says 10 are left: 90 counted, 89 of them not ours.
  budget.observe(100, 10, 400ms);
  CHECK(time_of(budget, 9) < 300ms);  // 90 + 9 = 99
  CHECK(time_of(budget, 1) >= 300ms);
}

TEST_CASE("rate budget: a 429 holds every request until the time it names", "[store]")
{
  RateBudget budget(100, 400ms);
  budget.hold_until(RateBudget::Clock::now() + 300ms);
  CHECK(time_of(budget, 1) >= 290ms);
}

TEST_CASE("rate budget: a limit of one still lets one request through per window", "[store]")
{
  RateBudget budget(1, 300ms);
  CHECK(time_of(budget, 1) < 200ms);
  CHECK(time_of(budget, 1) >= 290ms);
}

TEST_CASE("rate budget: a request still out keeps its place until one interval after its answer", "[store]")
{
  RateBudget budget(100, 400ms);
  std::vector<RateBudget::Ticket> out;
  for (int i = 0; i < 99; ++i)
    out.push_back(budget.acquire());
  std::thread answers([&] {
    std::this_thread::sleep_for(100ms);
    out.clear();
  });
  // Its send was long ago, but HubSpot may have counted it just before the
  // answer: the 100th waits for the answer and a whole interval after it.
  CHECK(time_of(budget, 1) >= 490ms);
  answers.join();
}

TEST_CASE("rate budget: background requests leave a running foreground chain what it needs", "[store]")
{
  RateBudget budget(100, 1000ms);
  // A foreground chain with a round trip of ~50 ms needs ~21 places a second.
  for (int i = 0; i < 3; ++i) {
    const RateBudget::Ticket ticket = budget.acquire();
    std::this_thread::sleep_for(50ms);
  }
  RateBudget::Ticket chain = budget.acquire();  // its next request is out
  std::atomic<int> taken{0};
  std::thread ahead([&] {
    std::vector<RateBudget::Ticket> tickets;
    while (tickets.size() < 94) {  // the window less the chain's four
      tickets.push_back(budget.acquire(RateBudget::Priority::background));
      ++taken;
    }
  });
  std::this_thread::sleep_for(300ms);
  // The background stopped short of the places the chain needs,
  CHECK(taken <= 85);
  CHECK(taken >= 60);
  // and the foreground still gets one at once.
  const auto before = RateBudget::Clock::now();
  {
    const RateBudget::Ticket next = budget.acquire();
  }
  CHECK(RateBudget::Clock::now() - before < 100ms);
  // Once the chain has ended, the background may have the rest.
  chain.release();
  ahead.join();
  CHECK(taken == 94);
}
