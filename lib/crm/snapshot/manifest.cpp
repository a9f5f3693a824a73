// manifest.json is written with a fixed key order and indentation so that the
// same snapshot always gives the same bytes, and read distrustfully: every
// field is checked for presence and type, names must be safe entry names, and
// the first problem found is an Error(data) that names it.

#include "crm/snapshot/manifest.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/catalog/backup_record.hpp>
#include <crm/crypto/sha256.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <set>
#include <vector>

namespace crm::snapshot {

using Json = nlohmann::ordered_json;

namespace {

constexpr std::string_view k_tool_name = "crm-backup";

Json property_to_json(const store::Property& property)
{
  Json json;
  json["name"] = property.name;
  json["label"] = property.label;
  json["type"] = std::string(store::to_string(property.type));
  json["options"] = property.options;
  json["read_only"] = property.is_read_only;
  json["sensitivity"] = std::string(store::to_string(property.sensitivity));
  return json;
}

[[noreturn]] void reject(std::string_view problem)
{
  throw Error(ErrorKind::data, fmt::format("bad manifest.json: {}", problem),
              "the archive is corrupt or was tampered with; use another backup");
}

const Json& member(const Json& object, std::string_view key, std::string_view where)
{
  const auto found = object.find(key);
  if (found == object.end())
    reject(fmt::format("{} has no \"{}\"", where, key));
  return *found;
}

std::string text_member(const Json& object, std::string_view key, std::string_view where)
{
  const Json& value = member(object, key, where);
  if (!value.is_string())
    reject(fmt::format("\"{}\" of {} is not a string", key, where));
  return value.get<std::string>();
}

std::int64_t integer_member(const Json& object, std::string_view key, std::string_view where)
{
  const Json& value = member(object, key, where);
  // An unsigned value past INT64_MAX would come back negative.
  if (!value.is_number_integer() || (value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX))
    reject(fmt::format("\"{}\" of {} is not an integer", key, where));
  return value.get<std::int64_t>();
}

bool bool_member(const Json& object, std::string_view key, std::string_view where)
{
  const Json& value = member(object, key, where);
  if (!value.is_boolean())
    reject(fmt::format("\"{}\" of {} is not true or false", key, where));
  return value.get<bool>();
}

const Json& array_member(const Json& object, std::string_view key, std::string_view where)
{
  const Json& value = member(object, key, where);
  if (!value.is_array())
    reject(fmt::format("\"{}\" of {} is not a list", key, where));
  return value;
}

std::vector<std::string> text_list_member(const Json& object, std::string_view key, std::string_view where)
{
  std::vector<std::string> texts;
  for (const Json& item : array_member(object, key, where)) {
    if (!item.is_string())
      reject(fmt::format("\"{}\" of {} holds something that is not a string", key, where));
    texts.push_back(item.get<std::string>());
  }
  return texts;
}

bool is_property_name(std::string_view name)
{
  if (name.empty() || name.size() > 256 || name.front() < 'a' || name.front() > 'z')
    return false;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

// Object names become entry names (<name>.csv): lowercase letters, digits,
// '_' and '-', starting with a letter or digit.
bool is_object_name(std::string_view name)
{
  if (name.empty() || name.size() > 100 || name.front() == '-' || name.front() == '_')
    return false;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

// Parsing a store enum turns an unknown value into a manifest problem.
template <typename Parse> auto parse_field(Parse parse, std::string_view text, std::string_view where)
{
  try {
    return parse(text);
  } catch (const Error&) {
    reject(fmt::format("{} has an unknown value '{}'", where, printable(text)));
  }
}

store::Property property_from_json(const Json& json, std::string_view where)
{
  if (!json.is_object())
    reject(fmt::format("a property of {} is not an object", where));
  store::Property property;
  property.name = text_member(json, "name", where);
  const std::string property_where = fmt::format("property '{}' of {}", printable(property.name), where);
  if (!is_property_name(property.name) || property.name == "hs_object_id")
    reject(fmt::format("{} has an invalid name", property_where));
  property.label = text_member(json, "label", property_where);
  property.type = parse_field(store::parse_property_type, text_member(json, "type", property_where), property_where);
  property.options = text_list_member(json, "options", property_where);
  property.is_read_only = bool_member(json, "read_only", property_where);
  property.sensitivity =
      parse_field(store::parse_sensitivity, text_member(json, "sensitivity", property_where), property_where);
  return property;
}

ObjectEntry object_from_json(const Json& json)
{
  if (!json.is_object())
    reject("an entry of \"objects\" is not an object");
  ObjectEntry object;
  object.name = text_member(json, "name", "an object");
  const std::string where = fmt::format("object '{}'", printable(object.name));
  if (!is_object_name(object.name))
    reject(fmt::format("{} has a name that cannot be an archive entry", where));
  object.object_type_id = text_member(json, "object_type_id", where);
  object.singular = text_member(json, "singular", where);
  object.file_name = text_member(json, "file", where);
  object.record_count = integer_member(json, "record_count", where);
  object.sha256 = text_member(json, "sha256", where);
  if (object.record_count < 0)
    reject(fmt::format("{} has a negative record count", where));
  if (object.record_count == 0) {
    if (!object.file_name.empty() || !object.sha256.empty())
      reject(fmt::format("{} has no records but names a file", where));
  } else {
    if (object.file_name != object.name + ".csv")
      reject(
          fmt::format("{} names file '{}', not '{}.csv'", where, printable(object.file_name), printable(object.name)));
    if (!crypto::is_sha256_hex(object.sha256))
      reject(fmt::format("{} has no valid SHA-256", where));
  }
  std::set<std::string> seen;
  for (const Json& property_json : array_member(json, "properties", where)) {
    object.properties.push_back(property_from_json(property_json, where));
    if (!seen.insert(object.properties.back().name).second)
      reject(fmt::format("{} lists property '{}' twice", where, printable(object.properties.back().name)));
  }
  object.excluded_properties = text_list_member(json, "excluded_properties", where);
  if (json.contains("modified_during_backup")) {
    object.modified_during_backup = integer_member(json, "modified_during_backup", where);
    if (object.modified_during_backup < 0)
      reject(fmt::format("{} has a negative modified_during_backup", where));
  }
  return object;
}

}  // namespace

const ObjectEntry* Manifest::find(std::string_view name_or_id) const
{
  for (const auto& object : objects)
    if (object.name == name_or_id || object.object_type_id == name_or_id)
      return &object;
  return nullptr;
}

std::vector<std::string> csv_header(const ObjectEntry& object)
{
  std::vector<std::string> header{"hs_object_id"};
  for (const auto& property : object.properties)
    header.push_back(property.name);
  return header;
}

std::string to_json(const Manifest& manifest)
{
  Json json;
  json["format"] = "crm-backup";
  json["format_version"] = manifest.format_version;
  json["tool"] = k_tool_name;
  json["tool_version"] = manifest.tool_version;
  json["account_id"] = manifest.account_id;
  json["store_id"] = manifest.store_id;
  json["snapshot_time"] = format_iso8601(manifest.snapshot_time);
  json["sensitive_excluded"] = manifest.is_sensitive_excluded;
  json["consistent_snapshot"] = manifest.is_consistent_snapshot;
  json["objects"] = Json::array();
  for (const auto& object : manifest.objects) {
    Json entry;
    entry["name"] = object.name;
    entry["object_type_id"] = object.object_type_id;
    entry["singular"] = object.singular;
    entry["file"] = object.file_name;
    entry["record_count"] = object.record_count;
    entry["sha256"] = object.sha256;
    entry["properties"] = Json::array();
    for (const auto& property : object.properties)
      entry["properties"].push_back(property_to_json(property));
    entry["excluded_properties"] = object.excluded_properties;
    if (!manifest.is_consistent_snapshot)
      entry["modified_during_backup"] = object.modified_during_backup;
    json["objects"].push_back(std::move(entry));
  }
  // Written only when something was skipped: archives of a store that sees
  // everything keep the bytes they always had.
  if (!manifest.skipped.empty()) {
    json["skipped"] = Json::array();
    for (const auto& gap : manifest.skipped)
      json["skipped"].push_back(Json{{"object", gap.object},
                                     {"object_type_id", gap.object_type_id},
                                     {"property", gap.property},
                                     {"reason", gap.reason}});
  }
  return json.dump(2) + "\n";
}

Manifest parse_manifest(std::string_view text)
{
  // A key twice in one object: nlohmann keeps one copy silently, another
  // reader may keep the other, so the manifest could say two things.
  std::vector<std::set<std::string>> keys_by_depth;
  bool has_duplicate_key = false;
  const auto track_keys = [&](int, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::object_start)
      keys_by_depth.emplace_back();
    else if (event == Json::parse_event_t::object_end && !keys_by_depth.empty())
      keys_by_depth.pop_back();
    else if (event == Json::parse_event_t::key && !keys_by_depth.empty() &&
             !keys_by_depth.back().insert(parsed.get<std::string>()).second)
      has_duplicate_key = true;
    return true;
  };
  Json json;
  try {
    json = Json::parse(text, track_keys);
  } catch (const Json::exception&) {
    reject("not valid JSON");
  }
  if (has_duplicate_key)
    reject("a key appears twice in one object");
  if (!json.is_object())
    reject("not a JSON object");
  if (text_member(json, "format", "the manifest") != "crm-backup")
    reject("not a crm-backup manifest");
  Manifest manifest;
  // Compared before it is narrowed: 2^32 + 1 must not read as version 1.
  const std::int64_t format_version = integer_member(json, "format_version", "the manifest");
  if (format_version > k_format_version)
    throw Error(ErrorKind::data,
                fmt::format("the archive has format version {}; this crm-backup reads up to version {}", format_version,
                            k_format_version),
                "upgrade crm-backup to read it");
  if (format_version < 1)
    reject(fmt::format("format version {} does not exist", format_version));
  manifest.format_version = static_cast<int>(format_version);
  manifest.tool_version = text_member(json, "tool_version", "the manifest");
  manifest.account_id = text_member(json, "account_id", "the manifest");
  manifest.store_id = text_member(json, "store_id", "the manifest");
  try {
    manifest.snapshot_time = parse_iso8601(text_member(json, "snapshot_time", "the manifest"));
  } catch (const Error&) {
    reject("\"snapshot_time\" is not an ISO 8601 UTC time");
  }
  manifest.is_sensitive_excluded = bool_member(json, "sensitive_excluded", "the manifest");
  if (json.contains("consistent_snapshot"))
    manifest.is_consistent_snapshot = bool_member(json, "consistent_snapshot", "the manifest");
  std::set<std::string> names;
  std::set<std::string> type_ids;
  for (const Json& object_json : array_member(json, "objects", "the manifest")) {
    ObjectEntry object = object_from_json(object_json);
    if (!names.insert(object.name).second)
      reject(fmt::format("object '{}' is listed twice", printable(object.name)));
    if (!type_ids.insert(object.object_type_id).second)
      reject(fmt::format("objectTypeId '{}' is listed twice", printable(object.object_type_id)));
    manifest.objects.push_back(std::move(object));
  }
  if (json.contains("skipped")) {
    for (const Json& gap_json : array_member(json, "skipped", "the manifest")) {
      if (!gap_json.is_object())
        reject("an entry of \"skipped\" is not an object");
      store::Gap gap;
      gap.object = text_member(gap_json, "object", "a skipped entry");
      gap.object_type_id = text_member(gap_json, "object_type_id", "a skipped entry");
      gap.property = text_member(gap_json, "property", "a skipped entry");
      gap.reason = text_member(gap_json, "reason", "a skipped entry");
      manifest.skipped.push_back(std::move(gap));
    }
  }
  return manifest;
}

}  // namespace crm::snapshot
