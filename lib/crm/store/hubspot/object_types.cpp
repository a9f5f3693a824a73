#include "crm/store/hubspot/object_types.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/store/hubspot/json_fields.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <future>
#include <iterator>

namespace crm::store::hubspot {

namespace {

struct StandardType {
  std::string_view name;
  std::string_view object_type_id;
  std::string_view singular;
};

// In objectTypeId order, as the embedded store lists them.
constexpr std::array<StandardType, 7> k_standard_types{{
    {"contacts", "0-1", "Contact"},
    {"companies", "0-2", "Company"},
    {"deals", "0-3", "Deal"},
    {"tickets", "0-5", "Ticket"},
    {"products", "0-7", "Product"},
    {"tasks", "0-27", "Task"},
    {"calls", "0-48", "Call"},
}};

// An inbox thread's fields, as conversations.csv's columns (snake_case, as
// property names are).
struct ThreadField {
  std::string_view json_name;
  std::string_view property;
  std::string_view label;
  PropertyType type;
};
constexpr std::array<ThreadField, 10> k_thread_fields{{
    {"status", "status", "Status", PropertyType::enumeration},
    {"createdAt", "created_at", "Created at", PropertyType::datetime},
    {"closedAt", "closed_at", "Closed at", PropertyType::datetime},
    {"latestMessageTimestamp", "latest_message_timestamp", "Latest message", PropertyType::datetime},
    {"inboxId", "inbox_id", "Inbox", PropertyType::string},
    {"associatedContactId", "associated_contact_id", "Contact", PropertyType::string},
    {"originalChannelId", "original_channel_id", "Channel", PropertyType::string},
    {"originalChannelAccountId", "original_channel_account_id", "Channel account", PropertyType::string},
    {"assignedTo", "assigned_to", "Assigned to", PropertyType::string},
    {"spam", "spam", "Spam", PropertyType::boolean},
}};

PropertyType property_type_of(std::string_view text)
{
  // HubSpot's types beyond the seven of the model (object_coordinates, json)
  // hold text: kept as strings, exactly as sent.
  try {
    return parse_property_type(text);
  } catch (const Error&) {
    return PropertyType::string;
  }
}

bool flag_of(const Json& object, std::string_view key)
{
  const auto found = object.find(key);
  return found != object.end() && found->is_boolean() && found->get<bool>();
}

Property parse_property(const Json& json, Sensitivity sensitivity)
{
  Property property;
  property.name = text_of(json, "name");
  property.label = text_of(json, "label");
  property.type = property_type_of(text_of(json, "type"));
  if (const auto options = json.find("options"); options != json.end() && options->is_array())
    for (const Json& option : *options)
      if (option.is_object())
        property.options.push_back(text_of(option, "value"));
  bool is_read_only_value = false;
  if (const auto metadata = json.find("modificationMetadata"); metadata != json.end() && metadata->is_object())
    is_read_only_value = flag_of(*metadata, "readOnlyValue");
  property.is_read_only = is_read_only_value || flag_of(json, "calculated");
  property.sensitivity = sensitivity;
  return property;
}

Gap gap_of(const ObjectType& type, std::string property, const ApiAnswer& answer)
{
  Gap gap;
  gap.object = type.name;
  gap.object_type_id = type.object_type_id;
  gap.property = std::move(property);
  gap.reason = fmt::format("HubSpot answered {}: {}", answer.status, describe_error(answer.status, answer.body));
  return gap;
}

// The properties of one sensitivity; a 403 (no scope) or 404 becomes a gap.
bool list_properties(ApiClient& api, ObjectType& type, Sensitivity sensitivity, Discovery& found)
{
  std::string target = fmt::format("/crm/v3/properties/{}?archived=false", url_encode(type.object_type_id));
  if (sensitivity != Sensitivity::non_sensitive)
    target += fmt::format("&dataSensitivity={}", to_string(sensitivity));
  const ApiAnswer answer = api.get(target, {403, 404});
  if (answer.status == 403 || answer.status == 404) {
    Gap gap = gap_of(
        type, sensitivity == Sensitivity::non_sensitive ? "" : fmt::format("{} properties", to_string(sensitivity)),
        answer);
    gap.is_sensitive = sensitivity != Sensitivity::non_sensitive;
    found.gaps.push_back(std::move(gap));
    return false;
  }
  if (const auto results = answer.body.find("results"); results != answer.body.end() && results->is_array())
    for (const Json& json : *results)
      if (json.is_object() && text_of(json, "name") != k_id_property && !flag_of(json, "archived"))
        type.properties.push_back(parse_property(json, sensitivity));
  return true;
}

// Reads one record (and, where listed, one sensitive value) to learn whether
// the token may read the records at all: HubSpot grants schemas and records
// under different scopes.
bool probe_records(ApiClient& api, const ObjectType& type, std::string_view property, Discovery& found,
                   std::string gap_property)
{
  std::string target = fmt::format("/crm/v3/objects/{}?limit=1&archived=false", url_encode(type.object_type_id));
  if (!property.empty())
    target += fmt::format("&properties={}", url_encode(property));
  const ApiAnswer answer = api.get(target, {403, 404});
  if (answer.status == 200)
    return true;
  Gap gap = gap_of(type, std::move(gap_property), answer);
  gap.is_sensitive = !property.empty();
  found.gaps.push_back(std::move(gap));
  return false;
}

// Fills `type`'s properties, or records why it cannot be backed up.
bool describe(ApiClient& api, ObjectType& type, Discovery& found)
{
  if (!list_properties(api, type, Sensitivity::non_sensitive, found) || !probe_records(api, type, {}, found, {}))
    return false;
  for (const Sensitivity sensitivity : {Sensitivity::sensitive, Sensitivity::highly_sensitive}) {
    const std::size_t before = type.properties.size();
    if (!list_properties(api, type, sensitivity, found) || type.properties.size() == before)
      continue;
    // Listing them may need fewer scopes than reading their values.
    if (!probe_records(api, type, type.properties[before].name, found,
                       fmt::format("{} properties", to_string(sensitivity))))
      type.properties.resize(before);
  }
  return true;
}

// Describes every type at once, each on a thread of its own, and adds the
// readable ones and the gaps to `found` in the order of `types`.
void describe_all(ApiClient& api, std::vector<ObjectType> types, Discovery& found)
{
  std::vector<std::future<Discovery>> parts;
  for (ObjectType& type : types)
    parts.push_back(std::async(std::launch::async, [&api, type = std::move(type)]() mutable {
      Discovery part;
      if (describe(api, type, part))
        part.types.push_back(std::move(type));
      return part;
    }));
  for (auto& future : parts) {
    Discovery part = future.get();
    std::move(part.types.begin(), part.types.end(), std::back_inserter(found.types));
    std::move(part.gaps.begin(), part.gaps.end(), std::back_inserter(found.gaps));
  }
}

ObjectType conversations_type()
{
  ObjectType type;
  type.name = "conversations";
  type.object_type_id = std::string(k_conversations_id);
  type.singular = "Conversation";
  type.is_restorable = false;
  for (const ThreadField& field : k_thread_fields) {
    Property property;
    property.name = field.property;
    property.label = field.label;
    property.type = field.type;
    property.is_read_only = true;
    type.properties.push_back(std::move(property));
  }
  return type;
}

// A custom object's name becomes its file name: lowercase letters, digits,
// '_' and '-' (docs/backup-format.md).
std::string file_safe_name(std::string_view name, std::string_view object_type_id)
{
  std::string safe;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    safe.push_back(std::isalnum(byte) ? static_cast<char>(std::tolower(byte)) : (c == '-' ? '-' : '_'));
  }
  if (safe.empty() || safe.front() == '_' || safe.front() == '-' || safe.size() > 100)
    return fmt::format("object_{}", object_type_id);
  return safe;
}

}  // namespace

std::string_view last_modified_property(const ObjectType& type)
{
  return type.object_type_id == "0-1" ? "lastmodifieddate" : "hs_lastmodifieddate";
}

Discovery discover_object_types(ApiClient& api)
{
  // Discovery is some forty small requests: sent together, not one after
  // another, they take a few round trips instead of forty.
  auto threads = std::async(std::launch::async, [&api] {
    return api.get("/conversations/v3/conversations/threads?limit=1", {403, 404});
  });
  auto schemas = std::async(std::launch::async, [&api] {
    return api.get("/crm/v3/schemas?archived=false", {403, 404});
  });
  std::vector<ObjectType> standard;
  for (const StandardType& known : k_standard_types) {
    ObjectType type;
    type.name = known.name;
    type.object_type_id = known.object_type_id;
    type.singular = known.singular;
    standard.push_back(std::move(type));
  }
  Discovery found;
  describe_all(api, std::move(standard), found);

  ObjectType conversations = conversations_type();
  if (const ApiAnswer answer = threads.get(); answer.status == 200)
    found.types.push_back(std::move(conversations));
  else
    found.gaps.push_back(gap_of(conversations, {}, answer));

  const ApiAnswer answer = schemas.get();
  if (answer.status != 200) {
    ObjectType custom;
    custom.name = "custom objects";
    found.gaps.push_back(gap_of(custom, {}, answer));
    return found;
  }
  std::vector<ObjectType> customs;
  if (const auto results = answer.body.find("results"); results != answer.body.end() && results->is_array()) {
    for (const Json& schema : *results) {
      if (!schema.is_object())
        continue;
      ObjectType type;
      type.object_type_id = text_of(schema, "objectTypeId");
      type.name = file_safe_name(text_of(schema, "name"), type.object_type_id);
      if (const auto labels = schema.find("labels"); labels != schema.end() && labels->is_object())
        type.singular = text_of(*labels, "singular");
      if (type.singular.empty())
        type.singular = type.name;
      if (!type.object_type_id.empty())
        customs.push_back(std::move(type));
    }
  }
  std::sort(customs.begin(), customs.end(),
            [](const ObjectType& a, const ObjectType& b) { return a.object_type_id < b.object_type_id; });
  describe_all(api, std::move(customs), found);
  return found;
}

}  // namespace crm::store::hubspot
