#include "crm/store/hubspot/record_pages.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/store/hubspot/json_fields.hpp>
#include <crm/store/hubspot/object_types.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <numeric>
#include <unordered_map>

namespace crm::store::hubspot {

namespace {

constexpr int k_page_size = 100;
// HubSpot answers 414 past about 16,300 URL characters; the whole target
// stays under this, cursor and all.
constexpr std::size_t k_max_target = 15'000;
constexpr std::size_t k_reserved_for_cursor = 600;

RecordId id_of(const Json& text, std::string_view type_name)
{
  RecordId id = 0;
  const std::string digits = text.is_string() ? text.get<std::string>() : text.is_number_integer() ? text.dump() : "";
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || id <= 0)
    throw Error(
        ErrorKind::data,
        fmt::format("HubSpot sent a {} record whose id is not a number: {}", type_name, printable(text.dump(), 40)),
        "try again; if it persists, report it with the object type");
  return id;
}

// A record's "properties" object (an empty one when it has none).
const Json& properties_of(const Json& record)
{
  static const Json none = Json::object();
  const auto found = record.find("properties");
  return found != record.end() && found->is_object() ? *found : none;
}

// Puts `page`'s rows in id order (HubSpot lists ascending; a batch read
// answers in any order).
void sort_page(RecordPage& page, std::size_t width)
{
  std::vector<std::size_t> order(page.ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return page.ids[a] < page.ids[b]; });
  RecordPage sorted;
  sorted.ids.reserve(page.ids.size());
  sorted.values.reserve(page.values.size());
  for (const std::size_t row : order) {
    sorted.ids.push_back(page.ids[row]);
    for (std::size_t column = 0; column < width; ++column)
      sorted.values.push_back(std::move(page.values[row * width + column]));
  }
  page = std::move(sorted);
}

}  // namespace

std::string value_text(const Json& value)
{
  if (value.is_null())
    return {};
  if (value.is_string())
    return value.get<std::string>();
  if (value.is_boolean())
    return value.get<bool>() ? "true" : "false";
  return value.dump();
}

RecordPager::RecordPager(ApiClient& api, const ObjectType& type, std::span<const std::string> properties,
                         bool is_archived)
    : m_api(api), m_type(type), m_properties(properties), m_is_archived(is_archived)
{
  const std::size_t base =
      fmt::format("/crm/v3/objects/{}?limit={}&archived=false&properties=", url_encode(type.object_type_id),
                  k_page_size)
          .size() +
      k_reserved_for_cursor;
  for (const std::string& name : properties) {
    const std::string encoded = url_encode(name);
    const std::size_t added = encoded.size() + (m_list_properties.empty() ? 0 : 3);
    if (base + m_list_properties.size() + added > k_max_target)
      break;
    m_list_properties += (m_list_properties.empty() ? "" : "%2C") + encoded;
    ++m_listed_count;
  }
}

std::optional<RecordPage> RecordPager::next()
{
  if (m_is_done)
    return std::nullopt;
  RecordPage page = m_type.object_type_id == k_conversations_id ? thread_page() : list_page();
  if (!page.ids.empty() && page.ids.front() <= m_last_id)
    throw Error(ErrorKind::data,
                fmt::format("HubSpot listed {} record {} after record {}: not in id order", m_type.name,
                            page.ids.front(), m_last_id),
                "try again; if it persists, report it with the object type");
  if (!page.ids.empty())
    m_last_id = page.ids.back();
  return page;
}

RecordPage RecordPager::list_page()
{
  std::string target = fmt::format("/crm/v3/objects/{}?limit={}&archived={}", url_encode(m_type.object_type_id),
                                   k_page_size, m_is_archived ? "true" : "false");
  if (!m_after.empty())
    target += "&after=" + url_encode(m_after);
  target += "&properties=" + (m_listed_count > 0 ? m_list_properties : std::string(k_id_property));
  const ApiAnswer answer = m_api.get(target);
  const std::size_t width = m_properties.size();
  RecordPage page;
  for (const Json& record : results_of(answer.body)) {
    if (!record.is_object())
      continue;
    page.ids.push_back(id_of(record.value("id", Json()), m_type.name));
    const Json& values = properties_of(record);
    for (std::size_t column = 0; column < width; ++column) {
      const auto value = column < m_listed_count ? values.find(m_properties[column]) : values.end();
      page.values.push_back(value != values.end() ? value_text(*value) : std::string());
    }
  }
  sort_page(page, width);
  m_after = next_cursor(answer.body);
  m_is_done = m_after.empty();
  if (m_listed_count < width && !page.ids.empty())
    read_rest(page);
  return page;
}

// The properties that did not fit the list URL, for the page's ids, in one
// batch read (the properties go in the body, which has no such limit).
void RecordPager::read_rest(RecordPage& page)
{
  Json body;
  body["properties"] = Json::array();
  for (std::size_t column = m_listed_count; column < m_properties.size(); ++column)
    body["properties"].push_back(m_properties[column]);
  body["inputs"] = Json::array();
  for (const RecordId id : page.ids)
    body["inputs"].push_back({{"id", std::to_string(id)}});
  const ApiAnswer answer = m_api.post(fmt::format("/crm/v3/objects/{}/batch/read?archived={}",
                                                  url_encode(m_type.object_type_id), m_is_archived ? "true" : "false"),
                                      body);
  std::unordered_map<RecordId, std::size_t> row_of;
  for (std::size_t row = 0; row < page.ids.size(); ++row)
    row_of.emplace(page.ids[row], row);
  const std::size_t width = m_properties.size();
  std::vector<bool> is_read(page.ids.size(), false);
  for (const Json& record : results_of(answer.body)) {
    if (!record.is_object())
      continue;
    const auto row = row_of.find(id_of(record.value("id", Json()), m_type.name));
    if (row == row_of.end())
      continue;
    is_read[row->second] = true;
    const Json& values = properties_of(record);
    for (std::size_t column = m_listed_count; column < width; ++column)
      if (const auto value = values.find(m_properties[column]); value != values.end())
        page.values[row->second * width + column] = value_text(*value);
  }
  // A record listed a moment ago and gone before the batch read was deleted
  // meanwhile: it is left out, as a later list would leave it out.
  if (std::find(is_read.begin(), is_read.end(), false) != is_read.end()) {
    RecordPage kept;
    for (std::size_t row = 0; row < page.ids.size(); ++row) {
      if (!is_read[row])
        continue;
      kept.ids.push_back(page.ids[row]);
      for (std::size_t column = 0; column < width; ++column)
        kept.values.push_back(std::move(page.values[row * width + column]));
    }
    page = std::move(kept);
  }
}

RecordPage RecordPager::thread_page()
{
  std::string target = fmt::format("/conversations/v3/conversations/threads?limit={}&sort=id", k_page_size);
  if (m_is_archived)
    target += "&archived=true";
  if (!m_after.empty())
    target += "&after=" + url_encode(m_after);
  const ApiAnswer answer = m_api.get(target);
  RecordPage page;
  // Thread fields are JSON camelCase; the properties are their snake_case.
  for (const Json& thread : results_of(answer.body)) {
    if (!thread.is_object())
      continue;
    page.ids.push_back(id_of(thread.value("id", Json()), m_type.name));
    for (const std::string& name : m_properties) {
      std::string json_name;
      for (std::size_t index = 0; index < name.size(); ++index) {
        if (name[index] == '_' && index + 1 < name.size())
          json_name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(name[++index]))));
        else
          json_name.push_back(name[index]);
      }
      const auto value = thread.find(json_name);
      page.values.push_back(value != thread.end() ? value_text(*value) : std::string());
    }
  }
  sort_page(page, m_properties.size());
  m_after = next_cursor(answer.body);
  m_is_done = m_after.empty();
  return page;
}

void read_by_id(ApiClient& api, const ObjectType& type, std::span<const std::string> properties, const IdSource& ids,
                const RecordFn& fn)
{
  const std::string target =
      fmt::format("/crm/v3/objects/{}/batch/read?archived=false", url_encode(type.object_type_id));
  std::vector<std::string_view> row(properties.size());
  RecordId id = 0;
  bool has_id = ids(id);
  while (has_id) {
    Json body;
    body["properties"] = Json::array();
    for (const std::string& name : properties)
      body["properties"].push_back(name);
    body["inputs"] = Json::array();
    for (int count = 0; has_id && count < k_page_size; ++count, has_id = ids(id))
      body["inputs"].push_back({{"id", std::to_string(id)}});
    // 207: some ids are gone (OBJECT_NOT_FOUND); the rest are answered.
    const ApiAnswer answer = api.post(target, body, {207});
    RecordPage page;
    for (const Json& record : results_of(answer.body)) {
      if (!record.is_object())
        continue;
      page.ids.push_back(id_of(record.value("id", Json()), type.name));
      const Json& values = properties_of(record);
      for (const std::string& name : properties) {
        const auto value = values.find(name);
        page.values.push_back(value != values.end() ? value_text(*value) : std::string());
      }
    }
    sort_page(page, properties.size());
    for (std::size_t index = 0; index < page.ids.size(); ++index) {
      for (std::size_t column = 0; column < properties.size(); ++column)
        row[column] = page.values[index * properties.size() + column];
      fn(page.ids[index], row);
    }
  }
}

}  // namespace crm::store::hubspot
