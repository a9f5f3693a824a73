#include "crm/store/hubspot/json_fields.hpp"

namespace crm::store::hubspot {

std::string text_of(const Json& object, std::string_view key)
{
  const auto found = object.is_object() ? object.find(key) : object.end();
  if (found == object.end())
    return {};
  return found->is_string() ? found->get<std::string>() : found->is_number() ? found->dump() : std::string();
}

const Json& results_of(const Json& body)
{
  static const Json empty = Json::array();
  const auto results = body.is_object() ? body.find("results") : body.end();
  return results != body.end() && results->is_array() ? *results : empty;
}

std::string next_cursor(const Json& body)
{
  if (!body.is_object())
    return {};
  const auto paging = body.find("paging");
  if (paging == body.end() || !paging->is_object())
    return {};
  const auto next = paging->find("next");
  if (next == paging->end() || !next->is_object())
    return {};
  return text_of(*next, "after");
}

}  // namespace crm::store::hubspot
