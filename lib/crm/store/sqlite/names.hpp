#pragma once
// Names that become SQL identifiers. Object and property names are checked
// against [a-z][a-z0-9_]* (at most 100 characters) before they reach SQL, and
// are still always quoted with sql::quote_identifier.

#include <string>
#include <string_view>

namespace crm::store::sqlite {

// Throws Error(data) naming `what` ("property", "object type") when `name` is
// not a valid internal name.
void validate_name(std::string_view name, std::string_view what);

// The table holding an object type's records: "records_<name>", quoted.
std::string quoted_record_table(std::string_view object_name);

}  // namespace crm::store::sqlite
