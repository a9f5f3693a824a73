#pragma once
// The text a catalog column holds for a state enum (backups, restore runs,
// off-site copies): one name per enumerator, in order.

#include <crm/base/error.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace crm::catalog {

template <typename Enum, std::size_t N>
std::string_view state_name(const std::array<std::string_view, N>& names, Enum state)
{
  return names.at(static_cast<std::size_t>(state));
}

// The enumerator named `text`; Error(data) "the catalog holds an unknown
// <what> '<text>'" for a name the catalog should not hold.
template <typename Enum, std::size_t N>
Enum parse_state_name(const std::array<std::string_view, N>& names, std::string_view text, std::string_view what)
{
  for (std::size_t index = 0; index < N; ++index)
    if (names[index] == text)
      return static_cast<Enum>(index);
  throw Error(ErrorKind::data, "the catalog holds an unknown " + std::string(what) + " '" + std::string(text) + "'",
              "the catalog was edited by hand or written by a newer version; upgrade crm-backup");
}

}  // namespace crm::catalog
