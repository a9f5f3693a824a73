#pragma once
// SplitMix64: a tiny PRNG whose output is the same on every platform and
// standard library, so a seed always makes the same demo store (the standard
// distributions differ between libraries).

#include <cstdint>
#include <span>

namespace crm::demo {

class Random {
public:
  explicit Random(std::uint64_t seed) : m_state(seed) {}

  std::uint64_t next()
  {
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, bound) for demo data (bound > 0).
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  std::int64_t between(std::int64_t low, std::int64_t high)
  {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low + 1)));
  }
  bool chance(unsigned percent) { return below(100) < percent; }
  template <typename T> const T& pick(std::span<const T> items) { return items[below(items.size())]; }

private:
  std::uint64_t m_state;
};

}  // namespace crm::demo
