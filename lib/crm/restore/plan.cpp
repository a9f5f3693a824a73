#include "crm/restore/plan.hpp"

namespace crm::restore {

std::string import_name(const std::string& object_singular) { return "Data Restore - " + object_singular; }

void PlanSummary::count_properties(const std::vector<std::string>& properties)
{
  by_property.clear();
  for (const auto& property : properties)
    by_property.push_back({property, 0, 0});
}

void PlanSummary::count_value(std::string_view property, std::string_view after)
{
  ++(after.empty() ? values_to_clear : values_to_set);
  for (auto& counts : by_property)
    if (counts.property == property) {
      ++(after.empty() ? counts.values_to_clear : counts.values_to_set);
      return;
    }
}

}  // namespace crm::restore
