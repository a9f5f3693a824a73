#include "crm/store/hubspot/api_client.hpp"

#include <crm/base/error.hpp>
#include <crm/base/printable.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <random>
#include <thread>

namespace crm::store::hubspot {

namespace {

constexpr int k_unreachable_attempts = 3;

int header_number(const HttpResponse& response, std::string_view name)
{
  const std::string_view text = response.header(name);
  int value = -1;
  if (text.empty() || std::from_chars(text.data(), text.data() + text.size(), value).ec != std::errc())
    return -1;
  return value;
}

bool is_retried(const HttpResponse& response)
{
  return response.status == 0 || response.status == 429 || response.status >= 500;
}

// Full jitter (AWS's "exponential backoff and jitter"): a random wait up to a
// doubling cap, so clients that failed together do not retry together.
std::chrono::milliseconds backoff(const ApiSettings& settings, int attempt)
{
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const auto cap =
      std::min<std::int64_t>(settings.max_backoff.count(), settings.first_backoff.count() << std::min(attempt, 16));
  std::uniform_int_distribution<std::int64_t> wait(cap / 2, cap);
  return std::chrono::milliseconds(wait(random));
}

std::string policy_of(const Json& body)
{
  if (body.is_object())
    if (const auto policy = body.find("policyName"); policy != body.end() && policy->is_string())
      return policy->get<std::string>();
  return {};
}

Json parse_body(const HttpResponse& response, std::string_view target)
{
  if (response.body.empty())
    return nullptr;
  Json body = Json::parse(response.body, nullptr, false);
  if (body.is_discarded())
    throw Error(
        ErrorKind::data,
        fmt::format("HubSpot answered {} to {} with a body that is not JSON", response.status, printable(target, 80)),
        "try again; if it persists, HubSpot or a proxy in between is sending something else");
  return body;
}

[[noreturn]] void refuse(const HttpResponse& response, const Json& body, std::string_view method,
                         std::string_view target)
{
  const std::string where = fmt::format("{} {}", method, printable(target.substr(0, target.find('?')), 80));
  if (response.status == 0)
    throw Error(ErrorKind::unavailable,
                fmt::format("HubSpot could not be reached ({}) for {}", response.transport_error, where),
                "check the network and CRM_HUBSPOT_BASE_URL, then run the command again");
  const std::string what =
      fmt::format("HubSpot answered {} to {}: {}", response.status, where, describe_error(response.status, body));
  switch (response.status) {
  case 401:
    throw Error(ErrorKind::no_permission, what,
                "check the private app's token in CRM_HUBSPOT_TOKEN_FILE or CRM_HUBSPOT_TOKEN");
  case 403: throw Error(ErrorKind::no_permission, what, "give the private app the scopes docs/hubspot.md lists");
  case 404: throw Error(ErrorKind::not_found, what, "check the account and the object type");
  case 429:
    if (policy_of(body) == "DAILY")
      throw Error(ErrorKind::temp_fail, what,
                  "the private app's daily request limit is used up; try again after midnight in the account's "
                  "time zone, when HubSpot resets it");
    throw Error(ErrorKind::temp_fail, what, "HubSpot kept refusing for its rate limit; try again later");
  default:
    if (response.status >= 500)
      throw Error(ErrorKind::unavailable, what, "HubSpot is failing; try again later (status.hubspot.com)");
    throw Error(ErrorKind::data, what, "HubSpot refused the request; see docs/hubspot.md");
  }
}

}  // namespace

std::string describe_error(long status, const Json& body)
{
  std::string message = fmt::format("status {}", status);
  std::string category;
  std::string correlation;
  if (body.is_object()) {
    if (const auto found = body.find("message"); found != body.end() && found->is_string())
      message = found->get<std::string>();
    for (const char* key : {"category", "policyName", "errorType"})
      if (const auto found = body.find(key); found != body.end() && found->is_string() && category.empty())
        category = found->get<std::string>();
    if (const auto found = body.find("correlationId"); found != body.end() && found->is_string())
      correlation = found->get<std::string>();
  }
  std::string line = printable(message, 200);
  if (!category.empty() || !correlation.empty())
    line += fmt::format(" ({}{}{})", printable(category, 40), category.empty() || correlation.empty() ? "" : ", ",
                        correlation.empty() ? "" : "correlationId " + printable(correlation, 60));
  return line;
}

namespace {
thread_local bool t_is_background = false;
}  // namespace

ApiClient::BackgroundScope::BackgroundScope() { t_is_background = true; }
ApiClient::BackgroundScope::~BackgroundScope() { t_is_background = false; }

ApiClient::ApiClient(ApiSettings settings)
    : m_settings(std::move(settings)), m_budget(m_settings.requests_per_ten_seconds, std::chrono::milliseconds(10'000)),
      m_search_budget(5, std::chrono::milliseconds(1'000))
{
}

ApiClient::~ApiClient() = default;

HttpResponse ApiClient::send_once(std::string_view target, const std::string& body)
{
  std::unique_ptr<HttpClient> connection;
  {
    std::lock_guard lock(m_pool_mutex);
    if (!m_idle.empty()) {
      connection = std::move(m_idle.back());
      m_idle.pop_back();
    }
  }
  if (!connection)
    connection = std::make_unique<HttpClient>(m_settings.base_url, m_settings.token, m_settings.timeout);
  HttpResponse response = connection->send(target, body);
  ++m_counters.requests;
  std::lock_guard lock(m_pool_mutex);
  m_idle.push_back(std::move(connection));
  return response;
}

ApiAnswer ApiClient::send(std::string_view target, const std::string& body, std::initializer_list<long> accepted,
                          RateBudget* search_budget)
{
  const std::string_view method = body.empty() ? "GET" : "POST";
  for (int attempt = 1;; ++attempt) {
    const HttpResponse response = [&] {
      // Places in the windows from the send until the answer is in.
      RateBudget::Ticket search_ticket;
      if (search_budget)
        search_ticket = search_budget->acquire();
      const RateBudget::Ticket ticket =
          m_budget.acquire(t_is_background ? RateBudget::Priority::background : RateBudget::Priority::foreground);
      return send_once(target, body);
    }();
    if (response.status != 0)
      m_budget.observe(
          header_number(response, "x-hubspot-ratelimit-max"), header_number(response, "x-hubspot-ratelimit-remaining"),
          std::chrono::milliseconds(std::max(0, header_number(response, "x-hubspot-ratelimit-interval-milliseconds"))));
    const bool is_accepted = (response.status >= 200 && response.status < 300) ||
                             std::find(accepted.begin(), accepted.end(), response.status) != accepted.end();
    if (is_accepted)
      return {response.status, parse_body(response, target)};
    Json error_body = response.status == 0 ? Json() : Json::parse(response.body, nullptr, false);
    const bool is_daily = response.status == 429 && policy_of(error_body) == "DAILY";
    // A server nobody answers for is down, not busy: a few quick tries.
    const int max_attempts = response.is_unreachable ? k_unreachable_attempts : m_settings.max_attempts;
    if (!is_retried(response) || is_daily || attempt >= max_attempts)
      refuse(response, error_body.is_discarded() ? Json() : error_body, method, target);
    ++m_counters.retries;
    // Retry-After (seconds) when HubSpot sends it; otherwise back off.
    std::chrono::milliseconds wait = backoff(m_settings, attempt - 1);
    if (const int seconds = header_number(response, "retry-after"); response.status == 429 && seconds >= 0)
      wait = std::chrono::milliseconds(seconds * 1000) + std::chrono::milliseconds(50);
    m_budget.hold_until(RateBudget::Clock::now() + wait);
    if (search_budget)
      search_budget->hold_until(RateBudget::Clock::now() + wait);
  }
}

ApiAnswer ApiClient::get(std::string_view target, std::initializer_list<long> accepted)
{
  return send(target, {}, accepted, nullptr);
}

ApiAnswer ApiClient::post(std::string_view target, const Json& body, std::initializer_list<long> accepted)
{
  return send(target, body.dump(), accepted, nullptr);
}

ApiAnswer ApiClient::search(std::string_view target, const Json& body)
{
  // A search counts against both budgets.
  return send(target, body.dump(), {}, &m_search_budget);
}

}  // namespace crm::store::hubspot
