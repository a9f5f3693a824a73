#pragma once
// The text a catalog column holds for a state enum (backups, restore runs,
// off-site copies): one name per enumerator, in order.

#include <crm/base/error.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace crm::catalog {

template <typename Enum, std::size_t N>
std::string_view state_name(const std::array<std::string_view, N>& names, Enum state)
{
  return names.at(static_cast<std::size_t>(state));
}

// The enumerator named `text`; none for a name the catalog should not hold
// (the caller says why in its own Error(data)).
template <typename Enum, std::size_t N>
std::optional<Enum> parse_state_name(const std::array<std::string_view, N>& names, std::string_view text)
{
  for (std::size_t index = 0; index < N; ++index)
    if (names[index] == text)
      return static_cast<Enum>(index);
  return std::nullopt;
}

}  // namespace crm::catalog
