#include <crm/base/error.hpp>
#include <crm/sql/database.hpp>
#include <crm/store/sqlite/names.hpp>

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

}  // namespace crm::store::sqlite
