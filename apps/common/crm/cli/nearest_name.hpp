#pragma once
// "did you mean": the name a mistyped word most likely meant, for unknown
// subcommands and options (`crm-backup craete` -> "create").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::cli {

// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`:
// the optimal string alignment distance.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, when it is near enough to be a typo: at
// most one edit for words of up to 4 characters, two for longer ones; the
// first of equally near ones. std::nullopt when none is.
std::optional<std::string> nearest_name(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace crm::cli
