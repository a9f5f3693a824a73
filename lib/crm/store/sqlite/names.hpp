#pragma once
// Names that become SQL identifiers. Object and property names are checked
// against [a-z][a-z0-9_]* (at most 100 characters) before they reach SQL, and
// are still always quoted with sql::quote_identifier.

#include <crm/store/model.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crm::store::sqlite {

// Throws Error(data) naming `what` ("property", "object type") when `name` is
// not a valid internal name.
void validate_name(std::string_view name, std::string_view what);

// The table holding an object type's records: "records_<name>", quoted.
std::string quoted_record_table(std::string_view object_name);

// Throws Error(data) when `type` has no property `property_name`.
void require_property(const ObjectType& type, std::string_view property_name);

// "hs_object_id" followed by each of `properties`, quoted: the column list of
// a SELECT or INSERT on the type's record table. Checks every property with
// require_property.
std::string record_columns(const ObjectType& type, std::span<const std::string> properties);

// The internal names of `type`'s properties, in definition order.
std::vector<std::string> property_names(const ObjectType& type);

}  // namespace crm::store::sqlite
