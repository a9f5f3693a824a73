#pragma once
// Pages of records as HubSpot lists them (CRM v3 objects API, or inbox
// threads for conversations): 100 records a page, `after` cursors treated as
// opaque, in ascending id order. A property list too long for one URL is
// split: the first group rides on the list request, the rest come in one
// batch read of the page's ids (docs/hubspot.md, "How records are read").

#include <crm/store/hubspot/api_client.hpp>
#include <crm/store/store.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace crm::store::hubspot {

struct RecordPage {
  std::vector<RecordId> ids;
  std::vector<std::string> values;  // row-major: ids.size() rows of the asked properties
};

// HubSpot's answer for a property value as the model's text: null is "",
// strings as they are, anything else as its JSON text.
std::string value_text(const Json& value);

class RecordPager {
public:
  RecordPager(ApiClient& api, const ObjectType& type, std::span<const std::string> properties, bool is_archived);

  // The next page, or nullopt after the last. Error(data) when HubSpot lists
  // an id out of order or sends a record without one.
  std::optional<RecordPage> next();

private:
  RecordPage list_page();
  RecordPage thread_page();
  void read_rest(RecordPage& page);

  ApiClient& m_api;
  const ObjectType& m_type;
  std::span<const std::string> m_properties;
  bool m_is_archived;
  std::size_t m_listed_count = 0;  // the first properties, those asked in the list URL
  std::string m_list_properties;   // them, URL-encoded and comma-separated
  std::string m_after;
  bool m_is_done = false;
  RecordId m_last_id = 0;
};

// Reads the records `ids` names, up to 100 a batch read, in id order.
void read_by_id(ApiClient& api, const ObjectType& type, std::span<const std::string> properties, const IdSource& ids,
                const RecordFn& fn);

}  // namespace crm::store::hubspot
