#include "crm/store/model.hpp"

#include <crm/base/error.hpp>

#include <fmt/format.h>

#include <array>

namespace crm::store {

namespace {

template <typename Enum, std::size_t N>
Enum parse_enum(std::string_view text, const std::array<std::string_view, N>& names, std::string_view what)
{
  for (std::size_t index = 0; index < N; ++index)
    if (names[index] == text)
      return static_cast<Enum>(index);
  throw Error(ErrorKind::data, fmt::format("unknown {} '{}'", what, text));
}

constexpr std::array<std::string_view, 3> k_tier_names{"starter", "professional", "enterprise"};
constexpr std::array<std::string_view, 7> k_type_names{"string",      "number", "date",        "datetime",
                                                       "enumeration", "bool",   "phone_number"};
constexpr std::array<std::string_view, 3> k_sensitivity_names{"non_sensitive", "sensitive", "highly_sensitive"};

}  // namespace

std::string_view to_string(PlanTier tier) { return k_tier_names.at(static_cast<std::size_t>(tier)); }
std::string_view to_string(PropertyType type) { return k_type_names.at(static_cast<std::size_t>(type)); }
std::string_view to_string(Sensitivity sensitivity)
{
  return k_sensitivity_names.at(static_cast<std::size_t>(sensitivity));
}

PlanTier parse_plan_tier(std::string_view text) { return parse_enum<PlanTier>(text, k_tier_names, "plan tier"); }
PropertyType parse_property_type(std::string_view text)
{
  return parse_enum<PropertyType>(text, k_type_names, "property type");
}
Sensitivity parse_sensitivity(std::string_view text)
{
  return parse_enum<Sensitivity>(text, k_sensitivity_names, "sensitivity");
}

const Property* ObjectType::find_property(std::string_view property_name) const
{
  for (const auto& property : properties)
    if (property.name == property_name)
      return &property;
  return nullptr;
}

}  // namespace crm::store
