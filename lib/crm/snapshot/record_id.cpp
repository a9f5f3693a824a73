#include "crm/snapshot/record_id.hpp"

#include <charconv>

namespace crm::snapshot {

std::optional<store::RecordId> parse_record_id(std::string_view text)
{
  if (text.empty() || text.size() > 19 || text.front() == '0')
    return std::nullopt;
  store::RecordId id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0)
    return std::nullopt;
  return id;
}

}  // namespace crm::snapshot
