#include "crm/store/hubspot/hubspot_session.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>
#include <crm/store/hubspot/json_fields.hpp>
#include <crm/store/hubspot/object_types.hpp>
#include <crm/store/hubspot/page_spill.hpp>
#include <crm/store/hubspot/record_pages.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <future>
#include <map>

namespace crm::store::hubspot {

namespace {

// Every page of a paged GET (users, workflows), one call of `fn` per result.
void for_each_result(ApiClient& api, const std::string& target, const std::function<void(const Json&)>& fn)
{
  std::string after;
  do {
    const char separator = target.find('?') == std::string::npos ? '?' : '&';
    const ApiAnswer answer =
        api.get(after.empty() ? target : fmt::format("{}{}after={}", target, separator, url_encode(after)));
    for (const Json& result : results_of(answer.body))
      fn(result);
    after = next_cursor(answer.body);
  } while (!after.empty());
}

// The `property` names a v4 flow's enrollment filters mention, anywhere in
// the (nested) filter branches.
void collect_properties(const Json& json, std::vector<std::string>& properties)
{
  if (json.is_object()) {
    for (auto item = json.begin(); item != json.end(); ++item) {
      if (item.key() == "property" && item->is_string()) {
        if (std::find(properties.begin(), properties.end(), item->get<std::string>()) == properties.end())
          properties.push_back(item->get<std::string>());
      } else {
        collect_properties(*item, properties);
      }
    }
  } else if (json.is_array()) {
    for (const Json& item : json)
      collect_properties(item, properties);
  }
}

// Epoch milliseconds, as the search API compares datetimes.
std::string epoch_milliseconds(UnixTime time) { return std::to_string(time * 1000); }

}  // namespace

HubSpotSession::HubSpotSession(ApiClient& api, const AccountSettings& settings, bool may_write)
    : m_api(api), m_settings(settings), m_may_write(may_write)
{
}

HubSpotSession::~HubSpotSession()
{
  m_is_stopping = true;
  if (m_fetcher.joinable())
    m_fetcher.join();
}

void HubSpotSession::will_scan(std::span<const PlannedScan> scans, std::optional<UnixTime> since)
{
  if (m_fetcher.joinable() || scans.size() < 2)
    return;
  m_since = since;
  // The first is scanned at once, live; the rest are fetched ahead in order,
  // each counted right after its last page (the end of its read).
  for (const PlannedScan& scan : scans.subspan(1)) {
    Ahead& ahead = m_ahead.emplace_back();
    ahead.scan = scan;
    ahead.spill = std::make_shared<PageSpill>(scan.properties.size());
    ahead.counted_changes = ahead.changes.get_future().share();
  }
  m_fetcher = std::thread([this] {
    const ApiClient::BackgroundScope background;
    for (Ahead& ahead : m_ahead) {
      try {
        RecordPager pager(m_api, ahead.scan.type, ahead.scan.properties, false);
        while (!m_is_stopping) {
          const std::optional<RecordPage> page = pager.next();
          if (!page)
            break;
          ahead.spill->append(*page);
        }
        if (m_is_stopping)
          throw Error(ErrorKind::internal, "fetching ahead stopped");
        ahead.spill->finish(nullptr);
        ahead.changes.set_value(m_since ? count_changes(ahead.scan.type, *m_since) : 0);
      } catch (...) {
        ahead.spill->finish(std::current_exception());
        ahead.changes.set_exception(std::current_exception());
      }
    }
  });
}

Account HubSpotSession::account()
{
  const ApiAnswer answer = m_api.get("/account-info/v3/details");
  Account account;
  account.id = text_of(answer.body, "portalId");
  if (account.id.empty())
    throw Error(ErrorKind::data, "HubSpot's account details hold no portalId",
                "check CRM_HUBSPOT_BASE_URL points at HubSpot's API");
  account.name = fmt::format("HubSpot account {}", account.id);
  account.store_id = "hubspot-" + account.id;
  account.tier = m_settings.tier;
  account.has_backup_plan_limits = false;
  return account;
}

void HubSpotSession::discover()
{
  if (m_types)
    return;
  Discovery found = discover_object_types(m_api);
  m_types = std::move(found.types);
  m_gaps.insert(m_gaps.end(), found.gaps.begin(), found.gaps.end());
}

std::vector<ObjectType> HubSpotSession::object_types()
{
  discover();
  return *m_types;
}

std::vector<Gap> HubSpotSession::gaps()
{
  discover();
  return m_gaps;
}

void HubSpotSession::scan_records(const ObjectType& type, std::span<const std::string> properties, const RecordFn& fn)
{
  for (const Ahead& ahead : m_ahead)
    if (ahead.scan.type.object_type_id == type.object_type_id &&
        std::equal(properties.begin(), properties.end(), ahead.scan.properties.begin(), ahead.scan.properties.end()))
      return ahead.spill->replay(fn);
  RecordPager pager(m_api, type, properties, false);
  std::vector<std::string_view> row(properties.size());
  // The next page is fetched while this one is written out: the wait for
  // HubSpot overlaps the CSV and zip work, and only two pages are held.
  auto fetch = [&pager] { return pager.next(); };
  std::future<std::optional<RecordPage>> next = std::async(std::launch::async, fetch);
  for (;;) {
    std::optional<RecordPage> page = next.get();
    if (!page)
      return;
    next = std::async(std::launch::async, fetch);
    for (std::size_t index = 0; index < page->ids.size(); ++index) {
      for (std::size_t column = 0; column < properties.size(); ++column)
        row[column] = page->values[index * properties.size() + column];
      fn(page->ids[index], row);
    }
  }
}

void HubSpotSession::scan_deleted(const ObjectType& type, const std::function<void(RecordId)>& fn)
{
  if (type.object_type_id == k_conversations_id)
    return;
  RecordPager pager(m_api, type, {}, true);
  while (const std::optional<RecordPage> page = pager.next())
    for (const RecordId id : page->ids)
      fn(id);
}

void HubSpotSession::read_records(const ObjectType& type, std::span<const std::string> properties, const IdSource& ids,
                                  const RecordFn& fn)
{
  if (type.object_type_id == k_conversations_id)
    return Reader::read_records(type, properties, ids, fn);
  read_by_id(m_api, type, properties, ids, fn);
}

std::int64_t HubSpotSession::count_records(const ObjectType& type)
{
  if (type.object_type_id == k_conversations_id)
    return 0;  // the threads API cannot count; the progress bar goes without
  Json body;
  body["limit"] = 1;
  body["properties"] = Json::array({std::string(k_id_property)});
  const ApiAnswer answer =
      m_api.search(fmt::format("/crm/v3/objects/{}/search", url_encode(type.object_type_id)), body);
  return answer.body.is_object() && answer.body.contains("total") && answer.body["total"].is_number_integer()
             ? answer.body["total"].get<std::int64_t>()
             : 0;
}

std::int64_t HubSpotSession::count_modified_since(const ObjectType& type, UnixTime since)
{
  for (const Ahead& ahead : m_ahead)
    if (ahead.scan.type.object_type_id == type.object_type_id && m_since == since)
      return ahead.counted_changes.get();
  return count_changes(type, since);
}

std::int64_t HubSpotSession::count_changes(const ObjectType& type, UnixTime since)
{
  if (type.object_type_id == k_conversations_id)
    return 0;  // threads carry no modification time the API filters on
  Json filter;
  filter["propertyName"] = std::string(last_modified_property(type));
  filter["operator"] = "GTE";
  filter["value"] = epoch_milliseconds(since);
  Json body;
  body["filterGroups"] = Json::array({Json{{"filters", Json::array({filter})}}});
  body["limit"] = 1;
  body["properties"] = Json::array({std::string(k_id_property)});
  const ApiAnswer answer =
      m_api.search(fmt::format("/crm/v3/objects/{}/search", url_encode(type.object_type_id)), body);
  if (!answer.body.is_object() || !answer.body.contains("total") || !answer.body["total"].is_number_integer())
    throw Error(ErrorKind::data, fmt::format("HubSpot's search of {} answered without a total", type.name),
                "try again; if it persists, report it");
  return answer.body["total"].get<std::int64_t>();
}

std::vector<User> HubSpotSession::users()
{
  std::vector<User> users;
  for_each_result(m_api, "/settings/v3/users?limit=100", [&](const Json& json) {
    User user;
    user.name = text_of(json, "email");
    const auto flag = json.find("superAdmin");
    user.is_super_admin = flag != json.end() && flag->is_boolean() && flag->get<bool>();
    user.uses_sso = m_settings.sso_users.count(user.name) > 0;
    if (!user.name.empty())
      users.push_back(std::move(user));
  });
  return users;
}

std::vector<Workflow> HubSpotSession::workflows()
{
  std::vector<Workflow> workflows;
  const ApiAnswer first = m_api.get("/automation/v4/flows?limit=100", {403, 404});
  if (first.status != 200) {
    m_gaps.push_back({"workflows", "", "",
                      fmt::format("HubSpot answered {}: {}", first.status, describe_error(first.status, first.body))});
    return workflows;
  }
  std::vector<std::string> ids;
  auto collect = [&](const Json& flow) {
    const auto enabled = flow.find("isEnabled");
    if (enabled != flow.end() && enabled->is_boolean() && !enabled->get<bool>())
      return;
    if (const std::string id = text_of(flow, "id"); !id.empty())
      ids.push_back(id);
  };
  for (const Json& flow : results_of(first.body))
    collect(flow);
  if (const std::string after = next_cursor(first.body); !after.empty())
    for_each_result(m_api, fmt::format("/automation/v4/flows?limit=100&after={}", url_encode(after)), collect);
  // The list holds summaries; the enrollment criteria are in each flow.
  for (const std::string& id : ids) {
    const ApiAnswer answer = m_api.get(fmt::format("/automation/v4/flows/{}", url_encode(id)));
    const Json& flow = answer.body;
    Workflow workflow;
    std::from_chars(id.data(), id.data() + id.size(), workflow.id);
    workflow.name = text_of(flow, "name");
    workflow.object_type_id = text_of(flow, "objectTypeId");
    workflow.is_enabled = true;
    if (const auto criteria = flow.find("enrollmentCriteria"); criteria != flow.end() && criteria->is_object()) {
      const auto reenroll = criteria->find("shouldReEnroll");
      workflow.allows_reenrollment = reenroll != criteria->end() && reenroll->is_boolean() && reenroll->get<bool>();
      collect_properties(*criteria, workflow.trigger_properties);
    }
    workflows.push_back(std::move(workflow));
  }
  return workflows;
}

std::vector<UpdateOutcome> HubSpotSession::update_records(const ObjectType& type, std::span<const RecordUpdate> batch)
{
  if (!m_may_write)
    throw Error(ErrorKind::internal, "a HubSpot reader was asked to write");
  if (batch.size() > k_max_update_batch)
    throw Error(ErrorKind::internal,
                fmt::format("{} updates in one batch; HubSpot takes at most {}", batch.size(), k_max_update_batch));
  // Read-only and calculated properties are never sent: HubSpot would refuse
  // the whole batch, and the tool must not try to change them.
  std::vector<UpdateOutcome> outcomes(batch.size());
  std::vector<RecordUpdate> sendable;
  std::vector<std::size_t> sent_index;
  for (std::size_t index = 0; index < batch.size(); ++index) {
    outcomes[index].id = batch[index].id;
    const auto read_only =
        std::find_if(batch[index].properties.begin(), batch[index].properties.end(), [&](const std::string& name) {
          const Property* property = type.find_property(name);
          return property == nullptr || property->is_read_only;
        });
    if (read_only != batch[index].properties.end()) {
      outcomes[index].status = UpdateStatus::rejected;
      outcomes[index].reason = fmt::format("{} is read-only or unknown in HubSpot", printable(*read_only, 60));
      continue;
    }
    sendable.push_back(batch[index]);
    sent_index.push_back(index);
  }
  if (!sendable.empty()) {
    const std::vector<UpdateOutcome> sent = send_updates(type, sendable);
    for (std::size_t index = 0; index < sent.size(); ++index)
      outcomes[sent_index[index]] = sent[index];
  }
  return outcomes;
}

// One batch update call. A 207 names the failed records; a 400 refuses the
// whole batch for one bad input, so the batch is halved until the bad
// records stand alone and the good ones are written.
std::vector<UpdateOutcome> HubSpotSession::send_updates(const ObjectType& type, std::span<const RecordUpdate> batch)
{
  Json body;
  body["inputs"] = Json::array();
  for (const RecordUpdate& update : batch) {
    Json properties = Json::object();
    for (std::size_t index = 0; index < update.properties.size(); ++index)
      properties[update.properties[index]] = update.values[index];
    body["inputs"].push_back({{"id", std::to_string(update.id)}, {"properties", std::move(properties)}});
  }
  const ApiAnswer answer =
      m_api.post(fmt::format("/crm/v3/objects/{}/batch/update", url_encode(type.object_type_id)), body, {207, 400});
  std::vector<UpdateOutcome> outcomes(batch.size());
  for (std::size_t index = 0; index < batch.size(); ++index)
    outcomes[index].id = batch[index].id;
  if (answer.status == 400) {
    if (batch.size() > 1) {
      const std::size_t half = batch.size() / 2;
      std::vector<UpdateOutcome> first = send_updates(type, batch.first(half));
      std::vector<UpdateOutcome> second = send_updates(type, batch.subspan(half));
      first.insert(first.end(), second.begin(), second.end());
      return first;
    }
    const bool is_gone = text_of(answer.body, "category") == "OBJECT_NOT_FOUND";
    outcomes[0].status = is_gone ? UpdateStatus::not_found : UpdateStatus::rejected;
    outcomes[0].reason = describe_error(answer.status, answer.body);
    return outcomes;
  }
  if (answer.status != 207)
    return outcomes;
  std::map<RecordId, std::size_t> index_of;
  for (std::size_t index = 0; index < batch.size(); ++index)
    index_of.emplace(batch[index].id, index);
  const auto errors = answer.body.is_object() ? answer.body.find("errors") : answer.body.end();
  if (errors == answer.body.end() || !errors->is_array())
    return outcomes;
  for (const Json& error : *errors) {
    if (!error.is_object() || !error.contains("context") || !error["context"].is_object())
      continue;
    const Json& context = error["context"];
    if (!context.contains("ids") || !context["ids"].is_array())
      continue;
    for (const Json& id_text : context["ids"]) {
      RecordId id = 0;
      const std::string digits = id_text.is_string() ? id_text.get<std::string>() : id_text.dump();
      std::from_chars(digits.data(), digits.data() + digits.size(), id);
      const auto found = index_of.find(id);
      if (found == index_of.end())
        continue;
      UpdateOutcome& outcome = outcomes[found->second];
      outcome.status =
          text_of(error, "category") == "OBJECT_NOT_FOUND" ? UpdateStatus::not_found : UpdateStatus::rejected;
      outcome.reason = describe_error(400, error);
    }
  }
  return outcomes;
}

}  // namespace crm::store::hubspot
