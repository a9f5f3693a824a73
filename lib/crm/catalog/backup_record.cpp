#include "crm/catalog/backup_record.hpp"

#include <crm/catalog/state_names.hpp>

#include <array>

namespace crm::catalog {

namespace {

constexpr std::array<std::string_view, 3> k_state_names{"complete", "verified", "damaged"};

}  // namespace

std::string_view to_string(BackupState state) { return state_name(k_state_names, state); }

BackupState parse_backup_state(std::string_view text)
{
  return parse_state_name<BackupState>(k_state_names, text, "backup state");
}

std::int64_t BackupRecord::total_records() const
{
  std::int64_t total = 0;
  for (const auto& [name, count] : objects)
    total += count;
  return total;
}

}  // namespace crm::catalog
