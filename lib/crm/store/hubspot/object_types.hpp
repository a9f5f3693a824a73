#pragma once
// Which object types a HubSpot account has and the token may read, with their
// property definitions (docs/hubspot.md, "What a backup holds"): the
// standard CRM objects, conversations (inbox threads, not a CRM v3 object),
// then custom objects from the schemas API. What cannot be read becomes a
// Gap with HubSpot's reason, never a silent hole.

#include <crm/store/hubspot/api_client.hpp>
#include <crm/store/store.hpp>

#include <string>
#include <vector>

namespace crm::store::hubspot {

// The objectTypeId conversations carry in the archive and the store port,
// as in the embedded store: they have no CRM v3 objectTypeId.
inline constexpr std::string_view k_conversations_id = "conversations";

struct Discovery {
  std::vector<ObjectType> types;
  std::vector<Gap> gaps;
};

Discovery discover_object_types(ApiClient& api);

// The property a type records its last change in: `lastmodifieddate` on
// contacts, `hs_lastmodifieddate` on every other object.
std::string_view last_modified_property(const ObjectType& type);

// "hs_object_id" is every record's id, never a listed property.
inline constexpr std::string_view k_id_property = "hs_object_id";

}  // namespace crm::store::hubspot
