#pragma once
// hs_object_id as it appears in a backup's CSV: canonical decimal text of a
// positive integer (no sign, no leading zeros), so that ordering by id and
// ordering by text agree with what the store wrote.

#include <crm/store/model.hpp>

#include <optional>
#include <string_view>

namespace crm::snapshot {

// The id `text` spells; std::nullopt for anything but canonical positive decimal.
std::optional<store::RecordId> parse_record_id(std::string_view text);

}  // namespace crm::snapshot
