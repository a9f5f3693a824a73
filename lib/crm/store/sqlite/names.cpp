#include "crm/store/sqlite/names.hpp"

#include <crm/base/error.hpp>
#include <crm/sql/database.hpp>

#include <fmt/format.h>

namespace crm::store::sqlite {

namespace {
constexpr std::size_t k_max_name_length = 100;
}

void validate_name(std::string_view name, std::string_view what)
{
  const auto is_valid_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; };
  bool is_valid = !name.empty() && name.size() <= k_max_name_length && name[0] >= 'a' && name[0] <= 'z';
  for (const char c : name)
    is_valid = is_valid && is_valid_char(c);
  if (!is_valid)
    throw Error(ErrorKind::data, fmt::format("{} name '{}' is not valid", what, name),
                "use lowercase letters, digits and '_', starting with a letter, at most 100 characters");
}

std::string quoted_record_table(std::string_view object_name)
{
  return sql::quote_identifier(fmt::format("records_{}", object_name));
}

void require_property(const ObjectType& type, std::string_view property_name)
{
  if (!type.find_property(property_name))
    throw Error(ErrorKind::data, fmt::format("{} has no property '{}'", type.name, property_name),
                "list the object's properties with crm-demo show");
}

std::string record_columns(const ObjectType& type, std::span<const std::string> properties)
{
  std::string columns = "hs_object_id";
  for (const auto& property : properties) {
    require_property(type, property);
    columns += ", ";
    columns += sql::quote_identifier(property);
  }
  return columns;
}

std::vector<std::string> property_names(const ObjectType& type)
{
  std::vector<std::string> names;
  for (const auto& property : type.properties)
    names.push_back(property.name);
  return names;
}

}  // namespace crm::store::sqlite
