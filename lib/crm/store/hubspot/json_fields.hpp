#pragma once
// Reading the fields of HubSpot's answers distrustfully: a field that is
// absent or of another type reads as empty, never as an exception.

#include <crm/store/hubspot/api_client.hpp>

#include <string>
#include <string_view>

namespace crm::store::hubspot {

// A string field as it is, a number as its text ("portalId": 62515), else "".
std::string text_of(const Json& object, std::string_view key);
// The "results" array of a list or batch answer (an empty one when absent).
const Json& results_of(const Json& body);
// paging.next.after: the cursor of the next page, "" after the last.
std::string next_cursor(const Json& body);

}  // namespace crm::store::hubspot
